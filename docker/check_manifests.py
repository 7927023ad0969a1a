#!/usr/bin/env python3
"""Checks docker/compose.yaml, docker/haproxy.cfg and docker/k8s/ without a cluster or a daemon.

Parses every manifest and checks what a schema cannot: that the pieces refer to each other
correctly and agree with the image (docker/Dockerfile) and the server. Selectors match the pod
labels; named ports exist; probes ask /healthz on the served port; the grace periods exceed the
drain timeout, so a drain is never cut short; the kustomization lists every manifest; the
container is privileged, as docs/DEPLOY.md requires; HAProxy checks /healthz on the judges'
port. Prints one line per check; exit 0 when all pass (ctest deploy_manifests).
"""

import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
failures = []


def check(name, condition, detail=""):
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else f": {detail}"))
    if not condition:
        failures.append(name)


def load_all(path):
    with open(path) as f:
        return [doc for doc in yaml.safe_load_all(f) if doc is not None]


def seconds(text):
    """'130s', '2m', 150 -> seconds."""
    match = re.fullmatch(r"(\d+)(s|m)?", str(text))
    if not match:
        raise ValueError(f"not a duration: {text!r}")
    return int(match.group(1)) * (60 if match.group(2) == "m" else 1)


def dockerfile_env():
    """The ENV block of docker/Dockerfile, and the EXPOSE port."""
    with open(os.path.join(HERE, "Dockerfile")) as f:
        text = f.read().replace("\\\n", " ")
    env = dict(re.findall(r"(CODEJUDGE_[A-Z_]+)=(\S+)", text))
    exposed = re.search(r"^EXPOSE (\d+)", text, re.M)
    return env, int(exposed.group(1)) if exposed else None


def check_compose(image_env, port):
    compose = load_all(os.path.join(HERE, "compose.yaml"))[0]
    judge = compose["services"]["judge"]
    check("compose: the judge builds docker/Dockerfile from the repository root",
          judge["build"] == {"context": "..", "dockerfile": "docker/Dockerfile"}, judge["build"])
    check("compose: the judge is privileged", judge.get("privileged") is True)
    check("compose: the judge has a private cgroup namespace", judge.get("cgroup") == "private")
    drain = int(judge.get("environment", {}).get("CODEJUDGE_DRAIN_TIMEOUT_S",
                                                 image_env["CODEJUDGE_DRAIN_TIMEOUT_S"]))
    check(f"compose: stop_grace_period > the drain timeout ({drain} s)",
          seconds(judge["stop_grace_period"]) > drain, judge["stop_grace_period"])
    check(f"compose: the judge exposes the image's port {port}",
          str(port) in [str(p) for p in judge.get("expose", [])], judge.get("expose"))
    for volume in judge.get("volumes", []):
        name = volume.split(":")[0]
        check(f"compose: volume {name} is declared", name in compose.get("volumes", {}))
    lb = compose["services"]["lb"]
    check("compose: the load balancer waits for the judges", "judge" in lb.get("depends_on", []))
    mounted = [v for v in lb.get("volumes", []) if v.startswith("./haproxy.cfg:")]
    check("compose: the load balancer mounts docker/haproxy.cfg", len(mounted) == 1, lb)

    with open(os.path.join(HERE, "haproxy.cfg")) as f:
        haproxy = f.read()
    check("haproxy: health checks ask /healthz",
          re.search(r"http-check send meth GET uri /healthz", haproxy) is not None)
    servers = re.findall(r"server-template \S+ \d+ (\w+):(\d+)", haproxy)
    check(f"haproxy: backends are the judge service on port {port}",
          servers == [("judge", str(port))], servers)


def check_k8s(image_env, port):
    k8s = os.path.join(HERE, "k8s")
    kustomization = load_all(os.path.join(k8s, "kustomization.yaml"))[0]
    files = sorted(f for f in os.listdir(k8s) if f.endswith(".yaml") and f != "kustomization.yaml")
    check("k8s: the kustomization lists every manifest",
          sorted(kustomization["resources"]) == files, (kustomization["resources"], files))
    docs = {}
    for name in files:
        for doc in load_all(os.path.join(k8s, name)):
            for key in ("apiVersion", "kind", "metadata"):
                check(f"k8s: {name} {doc.get('kind')} has {key}", key in doc)
            docs[doc["kind"]] = doc

    deployment = docs["Deployment"]
    spec = deployment["spec"]
    labels = spec["template"]["metadata"]["labels"]
    selector = spec["selector"]["matchLabels"]
    check("k8s: the Deployment's selector matches its pods",
          selector.items() <= labels.items(), (selector, labels))
    container = spec["template"]["spec"]["containers"][0]
    ports = {p["name"]: p["containerPort"] for p in container.get("ports", [])}
    env = {e["name"]: e["value"] for e in container.get("env", [])}
    served = int(env.get("CODEJUDGE_PORT", image_env["CODEJUDGE_PORT"]))
    check(f"k8s: the container port is the port served ({served})",
          ports.get("http") == served == port, (ports, served, port))
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        get = container.get(probe, {}).get("httpGet", {})
        check(f"k8s: {probe} asks /healthz on a declared port",
              get.get("path") == "/healthz" and get.get("port") in ports, get)
    drain = int(env.get("CODEJUDGE_DRAIN_TIMEOUT_S", image_env["CODEJUDGE_DRAIN_TIMEOUT_S"]))
    grace = spec["template"]["spec"]["terminationGracePeriodSeconds"]
    check(f"k8s: terminationGracePeriodSeconds > the drain timeout ({drain} s)", grace > drain,
          grace)
    check("k8s: the container is privileged",
          container.get("securityContext", {}).get("privileged") is True)
    mounts = {m["name"] for m in container.get("volumeMounts", [])}
    volumes = {v["name"] for v in spec["template"]["spec"].get("volumes", [])}
    check("k8s: every volume mount has a volume", mounts <= volumes, (mounts, volumes))
    resources = container.get("resources", {})
    check("k8s: CPU requests = limits (CPU-time limits mean the same everywhere)",
          resources.get("requests", {}).get("cpu") == resources.get("limits", {}).get("cpu"),
          resources)

    service = docs["Service"]
    check("k8s: the Service selects the pods",
          service["spec"]["selector"].items() <= labels.items(), service["spec"]["selector"])
    check("k8s: the Service targets a declared port",
          all(p["targetPort"] in ports for p in service["spec"]["ports"]), service["spec"]["ports"])
    for kind in ("NetworkPolicy", "PodDisruptionBudget"):
        doc = docs[kind]
        chosen = (doc["spec"]["podSelector"] if kind == "NetworkPolicy" else
                  doc["spec"]["selector"])["matchLabels"]
        check(f"k8s: the {kind} selects the pods", chosen.items() <= labels.items(), chosen)
    ingress_ports = [p["port"] for rule in docs["NetworkPolicy"]["spec"].get("ingress", [])
                     for p in rule.get("ports", [])]
    check("k8s: the NetworkPolicy lets clients reach the served port",
          served in ingress_ports, ingress_ports)
    target = docs["HorizontalPodAutoscaler"]["spec"]["scaleTargetRef"]
    check("k8s: the HorizontalPodAutoscaler scales the Deployment",
          target["kind"] == "Deployment" and target["name"] == deployment["metadata"]["name"],
          target)


def main():
    image_env, port = dockerfile_env()
    check("Dockerfile: EXPOSE is CODEJUDGE_PORT",
          port is not None and str(port) == image_env.get("CODEJUDGE_PORT"), (port, image_env))
    check_compose(image_env, port)
    check_k8s(image_env, port)
    if failures:
        print(f"{len(failures)} manifest check(s) failed: {failures}")
        return 1
    print("all manifest checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
