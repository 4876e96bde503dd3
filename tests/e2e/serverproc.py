"""Starts and stops `durable serve` for the end-to-end tests: port 0, the bound port read back
from --port-file, its own process group so a SIGKILL takes the function processes along."""
import os
import signal
import subprocess
import time


class ServerProcess:
    def __init__(self, durable, workdir, template, db_name="durable.db", extra_args=()):
        self.durable = durable
        self.extra_args = list(extra_args)
        self.workdir = workdir
        self.template = template
        self.db = os.path.join(workdir, db_name)
        self.proc = None
        self.endpoint = None

    def start(self, timeout=20):
        port_file = os.path.join(self.workdir, "port")
        if os.path.exists(port_file):
            os.remove(port_file)
        with open(os.path.join(self.workdir, "server.log"), "ab") as log:
            self.proc = subprocess.Popen(
                [self.durable, "serve", "--port", "0", "--port-file", port_file,
                 "--db", self.db] + (["--template", self.template] if self.template else [])
                + self.extra_args,
                stdout=log, stderr=log, start_new_session=True)
        deadline = time.time() + timeout
        while True:
            if os.path.exists(port_file):
                with open(port_file) as f:
                    port = f.read().strip()
                if port:
                    self.endpoint = "http://127.0.0.1:" + port
                    return self
            if self.proc.poll() is not None:
                raise RuntimeError("durable serve exited with %s" % self.proc.returncode)
            if time.time() > deadline:
                raise RuntimeError("durable serve did not start in %s s" % timeout)
            time.sleep(0.02)

    def kill(self):
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
