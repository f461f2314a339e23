"""The template rendering alone of a page, and the pages' HTML for comparing two versions byte for byte.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/siplan_bench SECRET_KEY=x \\
        .venv/bin/python bench/render_profile.py [--repeat 30] [--profile] [--save DIR]

Run after bench/page_profile.py (it reads the database that script fills: institution B001, the seed ×10).
Each page of VARIANTS is requested once with Django's test client; the render_to_string call of its view is
caught with the context the view built, then repeated `--repeat` times: the minimum CPU time (time.process_time)
is the template's cost, free of the computations the view did before. With --save DIR each variant's HTML
(the answer of the first request, its CSRF tokens blanked) is written to DIR/<variant>.html, so that
`diff -r` tells whether two versions write the same pages.
"""

import argparse
import cProfile
import pstats
import re
import sys
import time
from pathlib import Path

from in_process import deployed_settings_for_the_test_client, plain_storages

deployed_settings_for_the_test_client()

CODE = "B001"
CONSOLIDATED = "/consolidado/?anio=2024&cuatrimestre="
VARIANTS = (  # (name, path, role, language)
    ("dashboard-director", "/", "director", "es"),
    ("dashboard-planner-en", "/", "planificador", "en"),
    ("dashboard-reader", "/", "lector", "es"),
    ("dashboard-2023", "/?anio=2023", "director", "es"),
    ("consolidated-director", CONSOLIDATED + "3", "director", "es"),
    ("consolidated-page-2", CONSOLIDATED + "3&page=2", "director", "es"),
    ("consolidated-sorted", CONSOLIDATED + "3&sort=-physical_pct&page=2", "director", "en"),
    ("consolidated-light", CONSOLIDATED + "3&semaforo=rojo", "director", "es"),
    ("consolidated-cuatrimestre-1", CONSOLIDATED + "1", "planificador", "es"),
    ("consolidated-reader", CONSOLIDATED + "3", "lector", "es"),
    ("consolidated-invalid", "/consolidado/?anio=1900", "director", "es"),
    ("notifications", "/avisos/", "director", "es"),
)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--profile", action="store_true", help="cProfile's costliest functions per page")
    parser.add_argument("--sort", default="cumulative", help="cProfile's order (cumulative, tottime)")
    parser.add_argument("--lines", type=int, default=40, help="how many of cProfile's functions")
    parser.add_argument("--save", type=Path, help="write each variant's HTML there")
    parser.add_argument("--only", help="the variants whose name contains this")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.template import loader
    from django.test import Client
    from synthetic import username

    real_render_to_string = loader.render_to_string
    caught = []

    def catching(*arguments, **keywords):
        caught.append((arguments, keywords))
        return real_render_to_string(*arguments, **keywords)

    loader.render_to_string = catching
    User = get_user_model()
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
    print("| variant | render CPU ms (min) | median |")
    print("|---|---:|---:|")
    with plain_storages():
        for name, path, role, language in VARIANTS:
            if args.only and args.only not in name:
                continue
            client = Client()
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            client.force_login(User.objects.get(username=username(CODE, role)))
            client.get(path)  # warm up: templates, translations
            caught.clear()
            response = client.get(path)
            assert response.status_code == 200, f"{name}: HTTP {response.status_code}"
            if args.save:
                html = CSRF.sub('name="csrfmiddlewaretoken" value=""', response.content.decode())
                (args.save / f"{name}.html").write_text(html)
            (arguments, keywords) = caught[-1]
            from django.utils import translation

            with translation.override(response.wsgi_request.LANGUAGE_CODE):
                times = []
                profiler = cProfile.Profile(time.process_time) if args.profile else None
                for _ in range(args.repeat):
                    started = time.process_time()
                    if profiler:
                        profiler.enable()
                    real_render_to_string(*arguments, **keywords)
                    if profiler:
                        profiler.disable()
                    times.append(time.process_time() - started)
            times.sort()
            print(f"| {name} | {times[0] * 1000:.1f} | {times[len(times) // 2] * 1000:.1f} |", flush=True)
            if profiler:
                stats = pstats.Stats(profiler, stream=sys.stdout).sort_stats(args.sort)
                stats.print_stats(args.lines)


if __name__ == "__main__":
    main()
