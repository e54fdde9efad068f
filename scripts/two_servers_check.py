"""Two gunicorn instances and one Huey consumer sharing one database, queue and cache.

Run by .ci/run against PostgreSQL and Redis (DATABASE_URL, REDIS_URL and CACHE_URL set
by the caller); it starts everything it needs and stops it on the way out, whatever
happens. Checks, each across the two instances:

- a file uploaded through one downloads, identical, through the other;
- a job queued through one completes in the consumer, and its result downloads
  through the other;
- after an edit through one, both show the same dashboard figures, and a figure the
  edit changed.

Usage: python scripts/two_servers_check.py   (PORT_A, PORT_B choose the ports)
"""

import http.cookiejar
import io
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PORT_A = int(os.environ.get("PORT_A", 18001))
PORT_B = int(os.environ.get("PORT_B", 18002))
PASSWORD = "two-servers-" + secrets.token_hex(6)
UPLOAD_NAME = f"ban-ky-{secrets.token_hex(4)}.pdf"
USERS = ("canbo.hue", "lanhdao.bdbp")
SET_PASSWORDS = (
    "import os\n"
    "from units.models import User\n"
    f"for user in User.objects.filter(username__in={list(USERS)!r}):\n"
    "    user.set_password(os.environ['DEMO_PASSWORD'])\n"
    "    user.save()\n"
)
PDF = b"%PDF-1.4\n% two servers check " + secrets.token_hex(16).encode() + b"\n%%EOF\n"


def environment(shared: Path) -> dict:
    for name in ("DATABASE_URL", "REDIS_URL", "CACHE_URL"):
        if not os.environ.get(name):
            sys.exit(f"{name} must be set (PostgreSQL, Redis queue, Redis cache)")
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "two-servers-" + secrets.token_hex(24),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATIC_MANIFEST": "0",
        "DEMO_PASSWORD": PASSWORD,
        # The shared volume of a real deployment: one folder both instances see.
        "MEDIA_ROOT": str(shared / "media"),
        "REPORT_CACHE_DIR": str(shared / "report-cache"),
        "HUEY_NAME": "two-servers-" + secrets.token_hex(4),
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESS_LOG": "/dev/null",
    }


def manage(env, *args) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


class Browser:
    """A logged-in user talking to either instance; one cookie jar, as one browser."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, port: int, path: str) -> tuple[int, bytes, str]:
        return self._open(urllib.request.Request(f"http://127.0.0.1:{port}{path}"))

    def post(self, port, path, fields: dict, files: dict | None = None):
        fields = {**fields, "csrfmiddlewaretoken": self.csrf()}
        url = f"http://127.0.0.1:{port}{path}"
        if files:
            boundary = secrets.token_hex(16)
            body = io.BytesIO()
            for name, value in fields.items():
                body.write(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                    f"{value}\r\n".encode()
                )
            for name, (filename, content, content_type) in files.items():
                body.write(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                    f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
                )
                body.write(content + b"\r\n")
            body.write(f"--{boundary}--\r\n".encode())
            request = urllib.request.Request(url, data=body.getvalue())
            request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
        else:
            request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode())
        request.add_header("Referer", url)
        return self._open(request)

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def _open(self, request):
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read(), response.url
        except urllib.error.HTTPError as error:
            return error.code, error.read(), request.full_url


def wait_until_up(port: int) -> None:
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"instance on port {port} did not start")


def log_in(username: str) -> Browser:
    browser = Browser()
    browser.get(PORT_A, "/accounts/login/")
    status, _body, url = browser.post(
        PORT_A, "/accounts/login/", {"username": username, "password": PASSWORD}
    )
    assert status == 200 and "/accounts/login/" not in url, f"login of {username} failed"
    return browser


def dashboard_figures(browser: Browser, port: int) -> list[str]:
    status, body, _url = browser.get(port, "/")
    assert status == 200, status
    main = body.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return re.findall(r'<span class="figure">([^<]*)</span>|<td class="num">([^<]*)</td>', main)


def check_upload(clerk: Browser) -> None:
    status, body, _url = clerk.get(PORT_A, "/agreements/")
    agreement = re.search(r'href="/agreements/(\d+)/"', body.decode()).group(1)
    status, body, _url = clerk.post(
        PORT_A,
        f"/agreements/{agreement}/attachments/",
        {"description": "two servers"},
        {"file": (UPLOAD_NAME, PDF, "application/pdf")},
    )
    assert status == 200, status
    status, body, _url = clerk.get(PORT_B, f"/agreements/{agreement}/")
    links = re.findall(rf'href="(/attachments/\d+/)">{UPLOAD_NAME}', body.decode())
    assert links, "the upload is not listed on the other instance"
    status, content, _url = clerk.get(PORT_B, links[-1])
    assert status == 200 and content == PDF, "the upload did not download from the other instance"
    print("ok: a file uploaded through A downloads through B")


def check_job(national: Browser) -> None:
    year = time.localtime().tm_year - 1
    status, _body, url = national.post(PORT_A, f"/reports/annual/{year}/batch", {})
    job = re.search(r"/jobs/(\d+)/", url).group(1)
    for _ in range(600):
        status, body, _url = national.get(PORT_B, f"/jobs/{job}/status.json")
        state = json.loads(body)
        if state["finished"]:
            break
        time.sleep(0.5)
    assert state["state"] == "done", state
    status, content, _url = national.get(PORT_B, f"/jobs/{job}/download")
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert status == 200 and names, "the job's ZIP did not download from the other instance"
    print(
        f"ok: a job queued through A ran in the consumer; its ZIP ({len(names)} PDFs) came from B"
    )


def check_dashboards(clerk: Browser) -> None:
    before_a, before_b = dashboard_figures(clerk, PORT_A), dashboard_figures(clerk, PORT_B)
    assert before_a == before_b, "the dashboards differ before the edit"
    status, body, _url = clerk.get(PORT_A, "/agreements/?in_force=true")
    agreement = re.search(r'href="/agreements/(\d+)/"', body.decode()).group(1)
    today = time.strftime("%d/%m/%Y")
    status, body, _url = clerk.post(
        PORT_A, f"/agreements/{agreement}/terminate/", {"reason": "mutual", "on": today}
    )
    assert "Đã chấm dứt văn bản." in body.decode(), "the edit was refused"
    after_b, after_a = dashboard_figures(clerk, PORT_B), dashboard_figures(clerk, PORT_A)
    assert after_a == after_b, "the dashboards differ after the edit"
    assert after_a != before_a, "the edit did not change the dashboard"
    print("ok: after an edit through A, both dashboards show the same new figures")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="two-servers-") as shared:
        env = environment(Path(shared))
        manage(env, "migrate", "--no-input", "--verbosity", "0")
        manage(env, "load_admin_units")
        manage(env, "load_demo", "--force")
        # The demo accounts may predate this run (the database is kept between runs).
        manage(env, "shell", "-c", SET_PASSWORDS)
        processes = []
        try:
            for port in (PORT_A, PORT_B):
                processes.append(
                    subprocess.Popen(
                        [
                            PYTHON,
                            "-m",
                            "gunicorn",
                            "--config",
                            "gunicorn.conf.py",
                            "--bind",
                            f"127.0.0.1:{port}",
                        ],
                        cwd=BASE_DIR,
                        env=env,
                    )
                )
            processes.append(
                subprocess.Popen(
                    [PYTHON, "manage.py", "run_huey", "--workers", "2", "--no-periodic"],
                    cwd=BASE_DIR,
                    env=env,
                )
            )
            wait_until_up(PORT_A)
            wait_until_up(PORT_B)
            clerk = log_in(USERS[0])
            check_upload(clerk)
            check_job(log_in(USERS[1]))
            check_dashboards(clerk)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)
    print("two servers: all checks passed")


if __name__ == "__main__":
    main()
