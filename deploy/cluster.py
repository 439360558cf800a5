"""Several servers on one machine: nginx in front of two app servers, PostgreSQL, Redis
and an S3-compatible store, all on loopback (`make cluster`; tests/test_cluster.py).

This is the deployment docs/deploy.md describes for a register that has
outgrown one server, small enough to start in half a minute: every part runs
as the current user from a temporary folder, on free loopback ports, and is
stopped and removed when the cluster stops.

- PostgreSQL: initdb and pg_ctl in the folder, as .ci/with-postgres does (as
  root, run as the postgres user, since initdb refuses root).
- Redis (Debian's redis-server), no persistence: the shared cache.
- The media store: moto's S3 in server mode. No S3-compatible server
  (MinIO, Garage, SeaweedFS) can be installed from this machine's package
  registries; moto speaks the same protocol on loopback, and a real store
  only changes the MEDIA_S3_* variables (docs/deploy.md). It keeps its
  objects in memory.
- Two gunicorn app servers with production settings (DEBUG off; HTTPS off,
  as on any plain-HTTP loopback server), the same SECRET_KEY, database,
  cache and store.
- nginx (Debian's nginx-light), with its own configuration, pid file, logs and
  temporary files in the folder: no root needed. It balances requests between
  the app servers and passes a request that one of them could not answer
  (connection refused or reset, timeout) to the other (proxy_next_upstream);
  its access log names every app server a request was sent to.

Run `python deploy/cluster.py` (what `make cluster` does) for a cluster with
the demo data and the demo accounts on http://127.0.0.1:$PORT/ (8000), until
Ctrl-C.
"""

import grp
import http.client
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from glob import glob
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "media"
APP_SERVERS = 2
WORKERS_PER_APP_SERVER = 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def program(name: str, *folders: str) -> str | None:
    """The path of NAME on PATH or in one of FOLDERS (nginx lives in /usr/sbin)."""
    return shutil.which(name) or next(
        (f"{folder}/{name}" for folder in folders if os.access(f"{folder}/{name}", os.X_OK)),
        None,
    )


def postgres_bin() -> Path | None:
    candidates = sorted(glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[4]))
    if initdb := shutil.which("initdb"):
        candidates.insert(0, str(Path(initdb).parent))
    for folder in reversed(candidates):
        if (Path(folder) / "initdb").is_file() and (Path(folder) / "pg_ctl").is_file():
            return Path(folder)
    return None


NGINX = program("nginx", "/usr/sbin", "/usr/local/sbin")
REDIS_SERVER = program("redis-server", "/usr/bin", "/usr/sbin")


def missing_parts() -> list[str]:
    """What this machine lacks to start a cluster, as sentences; empty when nothing."""
    missing = []
    if NGINX is None:
        missing.append("nginx is not installed (apt-get install nginx-light)")
    if REDIS_SERVER is None:
        missing.append("redis-server is not installed (apt-get install redis-server)")
    if postgres_bin() is None:
        missing.append("the PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    if os.getuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            missing.append("running as root without a postgres user to run PostgreSQL as")
    try:
        import boto3  # noqa: F401
        import moto.server  # noqa: F401
    except ImportError:
        missing.append("moto's S3 server is not installed (make install)")
    return missing


def get(port: int, path: str, *, timeout: float = 10.0, headers=None):
    """(status, headers, body bytes) of GET PATH on a loopback PORT; status None when refused."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    except OSError:
        return None, {}, b""
    finally:
        connection.close()


def wait_until(check, what: str, *, seconds: float = 60, process=None) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what}: the process exited with {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what}: not ready within {seconds} s")
        time.sleep(0.1)


def answers(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


class Cluster:
    """The parts of a several-server deployment on loopback; start() and stop()."""

    def __init__(self, *, port: int | None = None, app_servers: int = APP_SERVERS):
        self.folder = Path(tempfile.mkdtemp(prefix="repression-cluster."))
        # nginx's workers (nobody, when nginx is started as root) read below it.
        self.folder.chmod(0o755)
        self.port = port or free_port()
        self.postgres_port = free_port()
        self.redis_port = free_port()
        self.store_port = free_port()
        self.app_ports = [free_port() for _ in range(app_servers)]
        self.processes: dict[str, subprocess.Popen] = {}
        self.postgres_bin = postgres_bin()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        self.url = f"http://127.0.0.1:{self.port}"
        self.store_url = f"http://127.0.0.1:{self.store_port}"
        self.access_log = self.folder / "nginx" / "access.log"
        self.env = self._production_env()

    def _production_env(self) -> dict[str, str]:
        """What every app server (and manage.py) runs with: production settings on
        plain-HTTP loopback, one secret key, one database, cache and store."""
        inherited = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(
                ("DATABASE_", "SECRET_KEY", "DEBUG", "HTTPS", "ALLOWED_HOSTS", "CACHE_URL")
                + ("MEDIA_", "STATIC_ROOT", "CSP_", "PUBLIC_PAGE_CACHE", "AWS_", "DJANGO_")
            )
        }
        return {
            **inherited,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.postgres_port}/repression",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "DEBUG": "0",
            "HTTPS": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STATIC_ROOT": str(self.folder / "static"),
            "CACHE_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "MEDIA_S3_BUCKET": BUCKET,
            "MEDIA_S3_ENDPOINT_URL": self.store_url,
            "MEDIA_S3_REGION": "us-east-1",
            "MEDIA_S3_ACCESS_KEY_ID": "cluster",
            "MEDIA_S3_SECRET_ACCESS_KEY": secrets.token_urlsafe(20),
            "LOG_LEVEL": "WARNING",
        }

    # Starting and stopping

    def start(self, *, demo: bool = True, setup: str = "") -> None:
        """Start every part; with DEMO, load the demo data. SETUP is Python code run
        by `manage.py shell` after the migrations (and the demo data), in the same
        process: each manage.py costs seconds of Django's start-up."""
        try:
            collecting = self._spawn("collectstatic", self._manage("collectstatic", "--noinput"))
            store = self._spawn_store()
            self._start_postgres()
            self._start_redis()
            steps = ["c('migrate', interactive=False, verbosity=0)"]
            if demo:
                steps.append("c('load_demo', verbosity=0)")
            self.manage(
                "shell",
                "-c",
                "\n".join(["from django.core.management import call_command as c", *steps, setup]),
            )
            self._create_bucket(store)
            if collecting.wait(timeout=300) != 0:
                raise RuntimeError(f"collectstatic failed: see {self.folder}/collectstatic.log")
            del self.processes["collectstatic"]  # done: every part left should keep running
            for index in range(len(self.app_ports)):
                self.start_app_server(index, wait=False)
            for index in range(len(self.app_ports)):
                self.wait_for_app_server(index)
            self._start_nginx()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop every part that runs and remove the folder."""
        # Each part was started in a session of its own (with its children:
        # gunicorn's workers), so what has not stopped a few seconds after
        # SIGTERM is killed whole: gunicorn takes 5 to 15 s to exit on a busy
        # machine, and a throwaway cluster has nothing to save.
        running = [p for p in reversed(self.processes.values()) if p.poll() is None]
        for process in running:
            process.terminate()
        deadline = time.monotonic() + 3
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()
        if self.postgres_bin is not None and (self.folder / "pg" / "data").exists():
            subprocess.run(
                [*self.as_postgres, str(self.postgres_bin / "pg_ctl"), "-D"]
                + [str(self.folder / "pg" / "data"), "-m", "immediate", "-w", "stop"],
                capture_output=True,
                timeout=60,
            )
        # PostgreSQL's files and the static files are thousands: deleting them
        # takes seconds that nobody needs to wait for.
        subprocess.Popen(
            [shutil.which("rm") or "/bin/rm", "-rf", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def _manage(self, *arguments) -> list[str]:
        return [sys.executable, "manage.py", *arguments, "-v0"]

    def manage(self, *arguments, debug: bool = False) -> str:
        """Run manage.py with the cluster's settings (DEBUG on for the demo accounts only)."""
        env = {**self.env, "DEBUG": "1"} if debug else self.env
        result = subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(arguments)} failed:\n{result.stderr}")
        return result.stdout

    def _spawn(self, name: str, command: list[str], **options) -> subprocess.Popen:
        log = (self.folder / f"{name}.log").open("ab")
        process = subprocess.Popen(
            command,
            cwd=options.pop("cwd", ROOT),
            env=options.pop("env", self.env),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            # Ctrl-C in make cluster's terminal reaches main(), which stops every part in order.
            start_new_session=True,
            **options,
        )
        log.close()
        self.processes[name] = process
        return process

    def _start_postgres(self) -> None:
        folder = self.folder / "pg"
        folder.mkdir()
        if self.as_postgres:
            shutil.chown(folder, "postgres")

        def run(name, *arguments):
            subprocess.run(
                [*self.as_postgres, str(self.postgres_bin / name), *arguments],
                check=True,
                capture_output=True,
                timeout=120,
            )

        run("initdb", "-D", f"{folder}/data", "-U", "postgres", "--auth=trust", "-E", "UTF8")
        options = f"-h 127.0.0.1 -p {self.postgres_port} -k {folder} -c fsync=off"
        log = f"{folder}/server.log"
        run("pg_ctl", "-D", f"{folder}/data", "-l", log, "-w", "-o", options, "start")
        run(
            "createdb",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.postgres_port),
            "-U",
            "postgres",
            "repression",
        )

    def _start_redis(self) -> None:
        process = self._spawn(
            "redis",
            [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(self.redis_port)]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.folder)],
        )
        wait_until(lambda: answers(self.redis_port), "Redis", process=process)

    def _spawn_store(self) -> subprocess.Popen:
        return self._spawn(
            "store",
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.store_port)],
            cwd=self.folder,
        )

    def _create_bucket(self, process: subprocess.Popen) -> None:
        wait_until(lambda: answers(self.store_port), "the S3 store", process=process)
        s3 = self.s3_client()
        s3.create_bucket(Bucket=BUCKET)
        # Anyone may read a file by its address (pages link photos by plain
        # addresses), nobody lists the bucket: as docs/deploy.md asks of a real store.
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{BUCKET}/*",
                }
            ],
        }
        s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))

    def s3_client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.store_url,
            region_name=self.env["MEDIA_S3_REGION"],
            aws_access_key_id=self.env["MEDIA_S3_ACCESS_KEY_ID"],
            aws_secret_access_key=self.env["MEDIA_S3_SECRET_ACCESS_KEY"],
        )

    def start_app_server(self, index: int, *, wait: bool = True) -> None:
        """Start app server INDEX (0, 1 ...); with WAIT, until it answers /healthz."""
        self._spawn(
            f"app-{index}",
            [sys.executable, "-m", "gunicorn", "repression.wsgi:application"]
            + ["--bind", f"127.0.0.1:{self.app_ports[index]}"]
            + ["--workers", str(WORKERS_PER_APP_SERVER), "--timeout", "30"]
            + ["--graceful-timeout", "20", "--error-logfile", "-"],
        )
        if wait:
            self.wait_for_app_server(index)

    def wait_for_app_server(self, index: int) -> None:
        port = self.app_ports[index]
        wait_until(
            lambda: get(port, "/healthz", timeout=2)[0] == 200,
            f"app server {index}",
            process=self.processes[f"app-{index}"],
        )

    def stop_app_server(self, index: int) -> None:
        """Stop app server INDEX as an operator would, with SIGTERM: gunicorn closes
        its socket at once, its workers finish the requests they have, and it
        exits. Returns once its port refuses connections (its exit, seconds
        later, is waited for by stop())."""
        self.processes[f"app-{index}"].send_signal(signal.SIGTERM)
        wait_until(lambda: not answers(self.app_ports[index]), f"app server {index} stopping")

    def _start_nginx(self) -> None:
        folder = self.folder / "nginx"
        folder.mkdir()
        config = folder / "nginx.conf"
        config.write_text(self.nginx_config())
        process = self._spawn("nginx", [NGINX, "-p", str(folder), "-c", str(config)])
        wait_until(
            lambda: get(self.port, "/healthz", timeout=2)[0] == 200, "nginx", process=process
        )

    def nginx_config(self) -> str:
        folder = self.folder / "nginx"
        user = ""
        if os.getuid() == 0:
            # As root, nginx runs its workers as another user (it would be
            # nobody:nobody, and Debian has no group nobody).
            group = "nogroup" if _group_exists("nogroup") else "nobody"
            user = f"user nobody {group};"
        servers = "\n".join(
            f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;"
            for port in self.app_ports
        )
        return f"""# Written by deploy/cluster.py; docs/deploy.md shows one for real hosts.
{user}
daemon off;
master_process on;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;

events {{
    worker_connections 512;
}}

http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;

    # Which app servers each request went to, and what each answered:
    # "127.0.0.1:A, 127.0.0.1:B" / "502, 200" is a request that nginx retried.
    log_format cluster '$remote_addr [$time_local] "$request" $status '
                       'upstream="$upstream_addr" upstream_status="$upstream_status" '
                       'seconds=$request_time';
    access_log {folder}/access.log cluster;

    upstream app_servers {{
{servers}
    }}

    server {{
        listen 127.0.0.1:{self.port};
        server_name _;
        # A little over the 10 MB upload limit, so that editors see the site's message.
        client_max_body_size 20m;

        location / {{
            proxy_pass http://app_servers;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            # A request an app server did not answer (it was stopped,
            # restarting, or hung) goes to the next one. nginx never resends
            # a POST that reached an app server: an edit is not made twice.
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries {len(self.app_ports)};
            proxy_connect_timeout 2s;
            proxy_read_timeout 40s;
        }}
    }}
}}
"""


def _group_exists(name: str) -> bool:
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


def main() -> int:
    missing = missing_parts()
    if missing:
        print("Cannot start the cluster: " + "; ".join(missing) + ".", file=sys.stderr)
        return 1
    cluster = Cluster(port=int(os.environ.get("PORT", "8000")))
    print(f"Starting the cluster in {cluster.folder} ...", flush=True)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    try:
        cluster.start()
        accounts = cluster.manage("demo_accounts", debug=True)
        app_servers = ", ".join(f"http://127.0.0.1:{port}/" for port in cluster.app_ports)
        print(
            f"""
The site:            {cluster.url}/  (nginx; admin at {cluster.url}/admin/)
App servers:         {app_servers}
PostgreSQL:          {cluster.env["DATABASE_URL"]}
Redis (the cache):   {cluster.env["CACHE_URL"]}
S3 store (moto):     {cluster.store_url}/{BUCKET}/
nginx's access log:  {cluster.access_log}

{accounts}
Ctrl-C stops every part and deletes {cluster.folder}.""",
            flush=True,
        )
        while not stopping:
            for name, process in cluster.processes.items():
                if process.poll() is not None:
                    print(f"{name} exited with {process.returncode}; stopping.", file=sys.stderr)
                    return 1
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        print("Stopping the cluster ...", flush=True)
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
