#!/usr/bin/env python3
"""Checks the deployment files (docker-compose.yml, deploy/) against the code.

The code is the truth: executable products come from Package.swift, flags, environment
variables and defaults from each built executable's `--help` (run with no QUOTEWIRE_*
variables set, so the defaults are the code's), topic names and size limits from
Shared/Models/Topics.swift, and the environment variables the code reads from the Swift
sources. Each check prints `ok` or every problem it found; the exit status is 1 if any failed.

    scripts/deploy_checks.py --bin BIN_DIR [--root REPO] [--only CHECK...]
    scripts/deploy_checks.py --bin BIN_DIR --self-test   # breaks copies of the files, one way
                                                         # per check, and expects each to fail

Run by scripts/test-deploy.sh.
"""

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

import yaml

SERVICES = ["quotewire-ingest", "quotewire-parser", "quotewire-indexer", "quotewire-query"]
# Options that are actions, not settings: they have no environment variable on purpose.
FLAG_ONLY = {"--help", "--rebuild"}
INDEX_VARIABLE = "QUOTEWIRE_INDEX"
INDEX_SERVICES = ("quotewire-indexer", "quotewire-query")
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


class CheckFailed(Exception):
    pass


# ----------------------------------------------------------------------------- the code's truth

class Help:
    """One executable's `--help`: its options, with the env variable and default each names."""

    def __init__(self, name, text):
        self.name = name
        self.text = text
        self.options = {}  # "--port" -> {"env": "QUOTEWIRE_INGEST_PORT" or None, "default": "8080" or None}
        entries, current = [], None
        for line in text.splitlines():
            if re.match(r"^  (-\w, )?--[a-z0-9]", line):
                current = [line.strip()]
                entries.append(current)
            elif current is not None and line.startswith("      "):
                current.append(line.strip())
            else:
                current = None
        for entry in entries:
            joined = " ".join(entry)
            flag = re.search(r"--[a-z0-9][a-z0-9-]*", joined).group(0)
            env = re.search(r"env (QUOTEWIRE_[A-Z0-9_]+)", joined)
            default = re.search(r"\(default: ([^)]*)\)", joined)
            self.options[flag] = {"env": env.group(1) if env else None,
                                  "default": default.group(1).strip() if default else None}
        self.env_names = set(re.findall(r"QUOTEWIRE_[A-Z0-9_]+", " ".join(text.split())))

    def env_of(self, flag):
        return self.options.get(flag, {}).get("env")

    def default_of(self, flag):
        return self.options.get(flag, {}).get("default")

    def effective(self, flag, environment):
        """The value a setting takes given an environment: the variable if set, else the default."""
        env = self.env_of(flag)
        if env and env in environment:
            return str(environment[env])
        return self.default_of(flag)


def run_help(bin_dir, product):
    path = os.path.join(bin_dir, product)
    if not os.access(path, os.X_OK):
        raise CheckFailed(f"{path} is missing: build the package first (swift build)")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("QUOTEWIRE_")}
    result = subprocess.run([path, "--help"], capture_output=True, text=True, env=clean, timeout=60)
    text = result.stdout + result.stderr
    if result.returncode != 0 or "USAGE:" not in text:
        raise CheckFailed(f"`{product} --help` exited {result.returncode} without a usage text:\n{text[:500]}")
    return Help(product, text)


def executable_products(root):
    manifest = read(root, "Package.swift")
    return re.findall(r'\.executable\(\s*name:\s*"([^"]+)"', manifest)


def read(root, relative):
    with open(os.path.join(root, relative), encoding="utf-8") as handle:
        return handle.read()


def swift_constant(source, name):
    match = re.search(r"static let " + name + r"\s*=\s*([^\n]+)", source)
    if not match:
        raise CheckFailed(f"no constant {name} in Shared/Models/Topics.swift")
    value = match.group(1).strip()
    if value.startswith('"'):
        return value.strip('"')
    if re.fullmatch(r"[0-9 *+]+", value):
        return eval(value, {"__builtins__": {}})  # digits and * + only
    raise CheckFailed(f"cannot read {name} = {value}")


def systemd_unit(text):
    """Sections of a unit file as {section: [(key, value), ...]} (keys may repeat)."""
    sections, section = {}, None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
            sections.setdefault(section, [])
            continue
        if "=" not in line or section is None:
            raise CheckFailed(f"not a unit-file line: {raw!r}")
        key, value = line.split("=", 1)
        sections[section].append((key.strip(), value.strip()))
    return sections


def seconds(value):
    """Seconds in `30`, `30s`, `1m30s`, `1min`."""
    text = str(value).strip()
    if re.fullmatch(r"\d+", text):
        return int(text)
    total, matched = 0, False
    for number, unit in re.findall(r"(\d+)\s*(min|m|s|h)", text):
        total += int(number) * {"h": 3600, "min": 60, "m": 60, "s": 1}[unit]
        matched = True
    if not matched:
        raise CheckFailed(f"cannot read the duration {value!r}")
    return total


class Context:
    """Everything the checks look at, loaded from one copy of the repository."""

    def __init__(self, root, bin_dir, helps=None):
        self.root = root
        self.bin = bin_dir
        self.products = executable_products(root)
        self.helps = helps if helps is not None else {p: run_help(bin_dir, p) for p in self.products}
        topics = read(root, "Shared/Models/Topics.swift")
        self.topics = {key: swift_constant(topics, key)
                       for key in ("articlesRaw", "quotesParsed", "deadLetter", "indexNodes")}
        self.partitions = swift_constant(topics, "defaultPartitions")
        # The node directory's partitions, as TopicSetup.nodes creates it.
        setup = read(root, "Shared/ServiceSupport/TopicSetup.swift")
        nodes = re.search(r"func nodes\(.*?partitions:\s*(\d+)", setup, re.S)
        if not nodes:
            raise CheckFailed("no partition count in TopicSetup.nodes (Shared/ServiceSupport/TopicSetup.swift)")
        self.nodes_partitions = int(nodes.group(1))
        self.max_message_bytes = swift_constant(topics, "maxMessageBytes")
        self.max_article_bytes = swift_constant(topics, "maxArticleBytes")
        self.code_env = set()
        for folder in ("Shared", "Services"):
            for base, _, files in os.walk(os.path.join(root, folder)):
                for name in files:
                    if name.endswith(".swift"):
                        with open(os.path.join(base, name), encoding="utf-8") as handle:
                            self.code_env |= set(re.findall(r'"(QUOTEWIRE_[A-Z0-9_]+)"', handle.read()))
        self.compose = yaml.safe_load(read(root, "docker-compose.yml"))
        self.manifests = []  # (file, document)
        k8s = os.path.join(root, "deploy", "k8s")
        self.k8s_files = sorted(f for f in os.listdir(k8s) if f.endswith((".yaml", ".yml")))
        for name in self.k8s_files:
            for document in yaml.safe_load_all(read(root, f"deploy/k8s/{name}")):
                if document:
                    self.manifests.append((name, document))
        systemd = os.path.join(root, "deploy", "systemd")
        self.units = {name: systemd_unit(read(root, f"deploy/systemd/{name}"))
                      for name in sorted(os.listdir(systemd)) if name.endswith((".service", ".target"))}
        self.env_file = {}
        self.env_file_examples = {}  # the commented-out NAME=value lines
        self.env_file_all = []  # every name, commented-out examples included
        for line in read(root, "deploy/systemd/quotewire.env.example").splitlines():
            match = re.match(r"^\s*(#?)\s*(QUOTEWIRE_[A-Z0-9_]+)=(.*)$", line)
            if match:
                self.env_file_all.append(match.group(2))
                if not match.group(1):
                    self.env_file[match.group(2)] = match.group(3).strip()
                else:
                    self.env_file_examples[match.group(2)] = match.group(3).strip()
            elif line.strip() and not line.strip().startswith("#"):
                raise CheckFailed(f"quotewire.env.example: not NAME=value: {line!r}")
        self.dockerfile = read(root, "deploy/Dockerfile")
        self.readme = read(root, "README.md")

    # --- the deployments, as (where, executable, command, environment) --------------------

    def quotewire_compose_services(self):
        for name, service in (self.compose.get("services") or {}).items():
            command = service.get("command")
            if command is None or "quotewire" not in str(service.get("image", "")):
                continue
            argv = shlex.split(command) if isinstance(command, str) else [str(part) for part in command]
            environment = {k: str(v) for k, v in (service.get("environment") or {}).items()}
            yield name, service, argv, environment

    def config_map(self):
        for _, doc in self.manifests:
            if doc.get("kind") == "ConfigMap":
                return doc.get("data") or {}
        return {}

    def containers(self):
        """(file, workload, pod spec, container, argv, environment) of every k8s container."""
        config_maps = {doc["metadata"]["name"]: doc.get("data") or {}
                       for _, doc in self.manifests if doc.get("kind") == "ConfigMap"}
        for name, doc in self.manifests:
            if doc.get("kind") not in ("Deployment", "StatefulSet"):
                continue
            pod = doc["spec"]["template"]["spec"]
            for container in pod.get("containers", []):
                environment = {}
                for source in container.get("envFrom", []):
                    ref = (source.get("configMapRef") or {}).get("name")
                    environment.update({k: str(v) for k, v in config_maps.get(ref, {}).items()})
                for variable in container.get("env", []):
                    environment[variable["name"]] = str(variable.get("value", ""))
                argv = [str(a) for a in (container.get("command") or []) + (container.get("args") or [])]
                yield name, doc, pod, container, argv, environment

    def unit_services(self):
        """(unit, argv, environment, instances) of every service unit; %i is each instance."""
        wanted = " ".join(v for unit in self.units.values() for k, v in unit.get("Unit", []) if k == "Wants")
        for unit_name, unit in self.units.items():
            if not unit_name.endswith(".service"):
                continue
            service = dict(unit.get("Service", []))
            argv = shlex.split(service.get("ExecStart", "").lstrip("-@+!:"))
            environment = dict(self.env_file)
            for key, value in unit.get("Service", []):
                if key == "Environment":
                    for pair in shlex.split(value):
                        name, _, setting = pair.partition("=")
                        environment[name] = setting
            instances = [None]
            if unit_name.endswith("@.service"):
                prefix = unit_name[: -len(".service")]
                instances = re.findall(re.escape(prefix) + r"([^ .]+)\.service", wanted)
                if not instances:
                    raise CheckFailed(f"{unit_name}: no instance of the template is wanted by a target")
            yield unit_name, unit, argv, environment, instances

    def executable(self, argv, where):
        if not argv:
            raise CheckFailed(f"{where}: no command")
        return os.path.basename(argv[0])


def flags_of(argv):
    return [part.split("=", 1)[0] for part in argv[1:] if part.startswith("--")]


def option_value(argv, flag):
    for index, part in enumerate(argv):
        if part == flag and index + 1 < len(argv):
            return argv[index + 1]
        if part.startswith(flag + "="):
            return part.split("=", 1)[1]
    return None


def effective(help_, flag, argv, environment):
    """A setting's value: the flag on the command line, else its variable, else the default."""
    return option_value(argv, flag) or help_.effective(flag, environment)


# ----------------------------------------------------------------------------- the checks

CHECKS = []


def check(function):
    CHECKS.append(function)
    return function


@check
def help_and_settings(ctx, fail):
    """Every executable answers --help; every service setting has a flag and an env variable,
    and every variable the help names is one the code reads."""
    for product in ctx.products:
        if product not in ctx.helps:
            fail(f"{product}: no --help output")
    for service in SERVICES:
        if service not in ctx.products:
            fail(f"{service} is not an executable product of Package.swift")
            continue
        help_ = ctx.helps[service]
        for flag, option in help_.options.items():
            if flag not in FLAG_ONLY and not option["env"]:
                fail(f"{service} {flag} has no environment variable (say `env QUOTEWIRE_…` in its help)")
        for name in sorted(help_.env_names - ctx.code_env):
            fail(f"{service} --help names {name}, which no Swift source under Shared/ or Services/ reads")


@check
def commands(ctx, fail):
    """Every command in compose, the manifests and the units runs a real executable product
    with flags that executable has."""
    def verify(where, argv):
        executable = ctx.executable(argv, where)
        if executable not in ctx.products:
            fail(f"{where}: `{executable}` is not an executable product of Package.swift ({', '.join(ctx.products)})")
            return
        for flag in flags_of(argv):
            if flag not in ctx.helps[executable].options:
                fail(f"{where}: `{executable}` has no flag {flag} (see `{executable} --help`)")

    seen = set()
    for name, _, argv, _ in ctx.quotewire_compose_services():
        verify(f"docker-compose.yml service {name}", argv)
        seen.add(ctx.executable(argv, name))
    for file, doc, _, container, argv, _ in ctx.containers():
        verify(f"deploy/k8s/{file} {doc['kind']} {doc['metadata']['name']} container {container['name']}", argv)
    for unit_name, _, argv, _, _ in ctx.unit_services():
        verify(f"deploy/systemd/{unit_name} ExecStart", argv)
    for service in SERVICES:
        if service not in seen:
            fail(f"docker-compose.yml runs no `{service}`")


@check
def environment(ctx, fail):
    """Variable names in compose, the ConfigMap, the env file and the units are ones the
    code reads, and ones the service they are given to reads."""
    def verify(where, names, executables):
        known = set().union(*(ctx.helps[e].env_names for e in executables if e in ctx.helps)) if executables else set()
        for name in sorted(names):
            if not name.startswith("QUOTEWIRE_"):
                continue
            if name not in ctx.code_env:
                fail(f"{where}: {name} is read by no Swift source")
            elif executables and name not in known:
                fail(f"{where}: {name} is not a setting of {', '.join(sorted(executables))}")

    for name, _, argv, env in ctx.quotewire_compose_services():
        verify(f"docker-compose.yml service {name}", env.keys(), [ctx.executable(argv, name)])
    k8s_executables = {ctx.executable(argv, c["name"]) for _, _, _, c, argv, _ in ctx.containers()}
    verify("deploy/k8s ConfigMap", ctx.config_map().keys(), k8s_executables)
    for file, doc, _, container, argv, _ in ctx.containers():
        verify(f"deploy/k8s/{file} container {container['name']} env",
               [v["name"] for v in container.get("env", [])], [ctx.executable(argv, container["name"])])
    unit_executables = {ctx.executable(argv, u) for u, _, argv, _, _ in ctx.unit_services()}
    verify("deploy/systemd/quotewire.env.example", ctx.env_file_all, unit_executables)
    for unit_name, unit, argv, _, _ in ctx.unit_services():
        names = [pair.partition("=")[0] for k, v in unit.get("Service", []) if k == "Environment" for pair in shlex.split(v)]
        verify(f"deploy/systemd/{unit_name} Environment=", names, [ctx.executable(argv, unit_name)])


def port_flag_default(ctx, executable):
    return ctx.helps[executable].default_of("--port")


@check
def ports(ctx, fail):
    """Each service listens on its code default port everywhere, and what is published,
    exposed or targeted is that port."""
    for name, service, argv, env in ctx.quotewire_compose_services():
        executable = ctx.executable(argv, name)
        help_ = ctx.helps.get(executable)
        if not help_ or "--port" not in help_.options:
            continue
        port, default = effective(help_, "--port", argv, env), help_.default_of("--port")
        if port != default:
            fail(f"docker-compose.yml service {name}: port {port}, but {executable} defaults to {default}")
        # The query service's web pages listen on a port of their own.
        listening = {port}
        if "--web-port" in help_.options:
            listening.add(effective(help_, "--web-port", argv, env))
        for published in service.get("ports", []):
            container_port = str(published).split(":")[-1].split("/")[0]
            if container_port not in listening:
                fail(f"docker-compose.yml service {name}: publishes container port {container_port}; the service listens on {', '.join(sorted(listening))}")
    for file, doc, _, container, argv, env in ctx.containers():
        executable = ctx.executable(argv, container["name"])
        help_ = ctx.helps.get(executable)
        if not help_ or "--port" not in help_.options:
            continue
        port, default = effective(help_, "--port", argv, env), help_.default_of("--port")
        where = f"deploy/k8s/{file} container {container['name']}"
        if port != default:
            fail(f"{where}: port {port}, but {executable} defaults to {default}")
        declared = [str(p.get("containerPort")) for p in container.get("ports", [])]
        if port not in declared:
            fail(f"{where}: listens on {port} but declares containerPort {', '.join(declared) or 'none'}")
    for file, doc in ctx.manifests:
        if doc.get("kind") != "Service":
            continue
        selector = doc["spec"].get("selector") or {}
        matching = [c for _, d, pod, c, _, _ in ctx.containers()
                    if selector and all(d["spec"]["template"]["metadata"]["labels"].get(k) == v for k, v in selector.items())]
        if not matching:
            fail(f"deploy/k8s/{file} Service {doc['metadata']['name']}: its selector {selector} matches no pod")
            continue
        for port in doc["spec"].get("ports", []):
            target = port.get("targetPort", port.get("port"))
            names = {p.get("name") for c in matching for p in c.get("ports", [])}
            numbers = {p.get("containerPort") for c in matching for p in c.get("ports", [])}
            if target not in names and target not in numbers:
                fail(f"deploy/k8s/{file} Service {doc['metadata']['name']}: targetPort {target} is no port of its pods")
    for unit_name, _, argv, env, instances in ctx.unit_services():
        executable = ctx.executable(argv, unit_name)
        help_ = ctx.helps.get(executable)
        if not help_ or "--port" not in help_.options:
            continue
        for instance in instances:
            resolved = [a.replace("%i", instance) if instance else a for a in argv]
            port, default = effective(help_, "--port", resolved, env), help_.default_of("--port")
            if port != default:
                fail(f"deploy/systemd/{unit_name}{' instance ' + instance if instance else ''}: port {port}, "
                     f"but {executable} defaults to {default}")


@check
def topics(ctx, fail):
    """The topic set-up creates Topics.swift's topics with its partition count, compaction on
    articles.raw and quotes.parsed, and WireLimits' record size, and index.nodes compacted
    with TopicSetup's one partition; the broker takes that size; topic settings everywhere
    name those topics; ingest's body limit is WireLimits'."""
    services = ctx.compose.get("services") or {}
    setup = services.get("topics")
    if not setup:
        fail("docker-compose.yml has no `topics` set-up service")
        return
    script = " ".join(setup.get("command") or []) if isinstance(setup.get("command"), list) else str(setup.get("command"))
    setup_env = {k: str(v) for k, v in (setup.get("environment") or {}).items()}
    calls = re.findall(r"^\s*create\s+(\S+)\s+(\S+)(?:\s+(\d+))?\s*$", script, re.M)
    created = {topic: policy for topic, policy, _ in calls}
    expected = {ctx.topics["articlesRaw"]: "compact", ctx.topics["quotesParsed"]: "compact",
                ctx.topics["deadLetter"]: "delete", ctx.topics["indexNodes"]: "compact"}
    if created != expected:
        fail(f"docker-compose.yml topics: creates {created}, expected {expected} (from Topics.swift)")
    counts = {topic: count or setup_env.get("PARTITIONS") for topic, _, count in calls}
    if counts.get(ctx.topics["indexNodes"]) != str(ctx.nodes_partitions):
        fail(f"docker-compose.yml topics: {ctx.topics['indexNodes']} gets {counts.get(ctx.topics['indexNodes'])} "
             f"partitions; TopicSetup.nodes creates it with {ctx.nodes_partitions}")
    for topic in (ctx.topics["articlesRaw"], ctx.topics["quotesParsed"], ctx.topics["deadLetter"]):
        if topic in counts and counts[topic] != setup_env.get("PARTITIONS"):
            fail(f"docker-compose.yml topics: {topic} gets {counts[topic]} partitions, not $$PARTITIONS")
    if "$${3:-$$PARTITIONS}" not in script and any(count for _, _, count in calls):
        fail("docker-compose.yml topics: a partition count is passed to create, which does not use it ($${3:-$$PARTITIONS})")
    if setup_env.get("PARTITIONS") != str(ctx.partitions):
        fail(f"docker-compose.yml topics: PARTITIONS={setup_env.get('PARTITIONS')}, Topics.defaultPartitions is {ctx.partitions}")
    if setup_env.get("MAX_MESSAGE_BYTES") != str(ctx.max_message_bytes):
        fail(f"docker-compose.yml topics: MAX_MESSAGE_BYTES={setup_env.get('MAX_MESSAGE_BYTES')}, "
             f"WireLimits.maxMessageBytes is {ctx.max_message_bytes}")
    for variable in ("$$PARTITIONS", "$$MAX_MESSAGE_BYTES", "cleanup.policy"):
        if variable not in script:
            fail(f"docker-compose.yml topics: the script does not use {variable}")
    broker = {k: str(v) for k, v in ((services.get("kafka") or {}).get("environment") or {}).items()}
    if broker.get("KAFKA_MESSAGE_MAX_BYTES") != str(ctx.max_message_bytes):
        fail(f"docker-compose.yml kafka: KAFKA_MESSAGE_MAX_BYTES={broker.get('KAFKA_MESSAGE_MAX_BYTES')}, "
             f"WireLimits.maxMessageBytes is {ctx.max_message_bytes}")
    if "controller" not in broker.get("KAFKA_PROCESS_ROLES", "") or "KAFKA_CONTROLLER_QUORUM_VOTERS" not in broker:
        fail("docker-compose.yml kafka: not a KRaft broker+controller (KAFKA_PROCESS_ROLES)")
    image = str((services.get("kafka") or {}).get("image", ""))
    if not re.fullmatch(r"apache/kafka:\d+\.\d+\.\d+", image):
        fail(f"docker-compose.yml kafka: image {image!r} is not the official apache/kafka at a pinned version")

    names = {"QUOTEWIRE_RAW_TOPIC": ctx.topics["articlesRaw"], "QUOTEWIRE_PARSED_TOPIC": ctx.topics["quotesParsed"],
             "QUOTEWIRE_DLQ_TOPIC": ctx.topics["deadLetter"], "QUOTEWIRE_NODES_TOPIC": ctx.topics["indexNodes"]}
    sources = [(f"docker-compose.yml service {n}", env) for n, _, _, env in ctx.quotewire_compose_services()]
    sources.append(("deploy/k8s ConfigMap", ctx.config_map()))
    sources.append(("deploy/systemd/quotewire.env.example", {**ctx.env_file_examples, **ctx.env_file}))
    for where, env in sources:
        for variable, topic in names.items():
            if variable in env and str(env[variable]) != topic:
                fail(f"{where}: {variable}={env[variable]}, but the topic is {topic} (Topics.swift)")
        body = env.get("QUOTEWIRE_INGEST_MAX_BODY_BYTES")
        if body is not None and str(body) != str(ctx.max_article_bytes):
            fail(f"{where}: QUOTEWIRE_INGEST_MAX_BODY_BYTES={body}, WireLimits.maxArticleBytes is {ctx.max_article_bytes}")


def compose_index_services(ctx):
    """The compose services running the indexer or the query service, each with its index
    folder, the volume mounted there (None if none is), and its node id (None if unset)."""
    found = []
    for name, service, argv, env in ctx.quotewire_compose_services():
        executable = ctx.executable(argv, name)
        if executable not in INDEX_SERVICES or executable not in ctx.helps:
            continue
        help_ = ctx.helps[executable]
        path = effective(help_, "--index", argv, env)
        mounts = {str(v).split(":")[1]: str(v).split(":")[0] for v in service.get("volumes", []) if ":" in str(v)}
        found.append({"name": name, "service": service, "argv": argv, "env": env, "executable": executable,
                      "help": help_, "path": path, "volume": mounts.get(path), "mounts": mounts,
                      "node": effective(help_, "--node-id", argv, env) or None})
    return found


@check
def volumes(ctx, fail):
    """The indexer and the query service use the same index folder: the same volume at the
    path QUOTEWIRE_INDEX names, in compose (each indexer's volume read by a query service,
    each query service's written by an indexer), in the StatefulSet and on the systemd host."""
    services = compose_index_services(ctx)
    declared = ctx.compose.get("volumes") or {}
    writers, readers = {}, {}
    for entry in services:
        if entry["volume"] is None:
            fail(f"docker-compose.yml service {entry['name']}: the index folder {entry['path']} is not a mounted volume ({entry['mounts']})")
            continue
        if not entry["volume"].startswith((".", "/", "~")) and entry["volume"] not in declared:
            fail(f"docker-compose.yml service {entry['name']}: the index volume {entry['volume']} is not declared under `volumes:`")
        (writers if entry["executable"] == "quotewire-indexer" else readers).setdefault(entry["volume"], []).append(entry["name"])
    if not writers or not readers:
        fail(f"docker-compose.yml: expected an indexer and a query service on an index volume; indexers {writers}, query services {readers}")
    for volume, names in sorted(writers.items()):
        if volume not in readers:
            fail(f"docker-compose.yml: no query service reads the index volume {volume} that {', '.join(names)} writes")
    for volume, names in sorted(readers.items()):
        if volume not in writers:
            fail(f"docker-compose.yml: {', '.join(names)} reads the index volume {volume}, which no indexer writes")

    statefulsets = [doc for _, doc in ctx.manifests if doc.get("kind") == "StatefulSet"]
    if len(statefulsets) != 1:
        fail(f"deploy/k8s: expected one StatefulSet for the indexer and query, found {len(statefulsets)}")
        return
    claims = {t["metadata"]["name"] for t in statefulsets[0]["spec"].get("volumeClaimTemplates", [])}
    k8s_mounts = {}
    for _, doc, _, container, argv, env in ctx.containers():
        executable = ctx.executable(argv, container["name"])
        if executable not in ("quotewire-indexer", "quotewire-query"):
            continue
        if doc is not statefulsets[0]:
            fail(f"deploy/k8s: {executable} runs outside the StatefulSet ({doc['kind']} {doc['metadata']['name']})")
            continue
        path = effective(ctx.helps[executable], "--index", argv, env)
        mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
        if mounts.get(path) not in claims:
            fail(f"deploy/k8s container {container['name']}: the index folder {path} is not a volumeClaimTemplate mount ({mounts})")
        else:
            k8s_mounts[executable] = (mounts[path], path)
    if len(set(k8s_mounts.values())) != 1 or len(k8s_mounts) != 2:
        fail(f"deploy/k8s: indexer and query do not share one index claim: {k8s_mounts}")

    for unit_name, unit, argv, env, _ in ctx.unit_services():
        executable = ctx.executable(argv, unit_name)
        if executable not in ("quotewire-indexer", "quotewire-query"):
            continue
        path = effective(ctx.helps[executable], "--index", argv, env)
        state = dict(unit.get("Service", [])).get("StateDirectory")
        if not state or not path.startswith(f"/var/lib/{state}/"):
            fail(f"deploy/systemd/{unit_name}: the index folder {path} is not under its StateDirectory /var/lib/{state}")


def advertised_url(url):
    """(scheme, host, port, path) of a base URL, or None when it is not one."""
    match = re.fullmatch(r"([a-z]+)://([^/:\s]+)(?::(\d+))?(/\S*)?", str(url or ""))
    if not match:
        return None
    scheme, host, port, path = match.groups()
    return scheme, host, port or {"http": "80", "https": "443"}.get(scheme), path or ""


@check
def compose_index_nodes(ctx, fail):
    """Compose's index nodes: the indexers and query services all have node ids or none has;
    a node is one volume, written by one indexer and read by query services of its id; the
    indexer advertises the URL of such a query service (its name and the port it listens on);
    the nodes share one group, brokers, nodes topic and query token, and the query services
    listen beyond loopback."""
    services = compose_index_services(ctx)
    with_id = [e for e in services if e["node"]]
    if not with_id:
        folders = sorted({str(e["volume"]) for e in services if e["executable"] == "quotewire-indexer"})
        if len(folders) > 1:
            fail(f"docker-compose.yml: indexers write {len(folders)} volumes ({', '.join(folders)}) without node ids: "
                 "each query service would answer only for the shards of its own volume")
        return
    for entry in services:
        if not entry["node"]:
            fail(f"docker-compose.yml service {entry['name']}: no node id (QUOTEWIRE_NODE_ID), while "
                 f"{', '.join(e['name'] for e in with_id)} have one: an indexer without one advertises nothing, "
                 "a query service without one answers only for its own volume")
    indexers = [e for e in with_id if e["executable"] == "quotewire-indexer"]
    queries = [e for e in with_id if e["executable"] == "quotewire-query"]
    by_node, by_volume = {}, {}
    for indexer in indexers:
        if indexer["node"] in by_node:
            fail(f"docker-compose.yml: {by_node[indexer['node']]['name']} and {indexer['name']} are both node {indexer['node']}")
        by_node[indexer["node"]] = indexer
        if indexer["volume"] in by_volume:
            fail(f"docker-compose.yml: {by_volume[indexer['volume']]['name']} and {indexer['name']} write the same "
                 f"volume {indexer['volume']}: a node's shards are its own")
        by_volume.setdefault(indexer["volume"], indexer)

    def value(entry, flag):
        return effective(entry["help"], flag, entry["argv"], entry["env"])

    for query in queries:
        indexer = by_volume.get(query["volume"])
        where = f"docker-compose.yml service {query['name']} (node {query['node']})"
        if indexer is None:
            fail(f"{where}: reads the volume {query['volume']}, which no indexer of a node writes")
            continue
        if indexer["node"] != query["node"]:
            fail(f"{where}: reads the volume {query['volume']} of {indexer['name']}, which is node {indexer['node']}")
        if value(query, "--brokers") != value(indexer, "--brokers"):
            fail(f"{where}: reads index.nodes from {value(query, '--brokers')}, its indexer advertises on {value(indexer, '--brokers')}")
        if value(query, "--host") in LOOPBACK:
            fail(f"{where}: listens on {value(query, '--host')}, where the other nodes cannot reach it")
    for indexer in indexers:
        where = f"docker-compose.yml service {indexer['name']} (node {indexer['node']})"
        partners = [q for q in queries if q["volume"] == indexer["volume"] and q["node"] == indexer["node"]]
        if not partners:
            fail(f"{where}: no query service of node {indexer['node']} reads its volume {indexer['volume']}")
            continue
        url = value(indexer, "--advertise-url")
        parts = advertised_url(url)
        names = {q["name"]: {q["name"], str(q["service"].get("hostname", q["name"])),
                             str(q["service"].get("container_name", q["name"]))} for q in partners}
        match = next((q for q in partners if parts and parts[1] in names[q["name"]]), None)
        if not parts or parts[0] != "http" or match is None:
            fail(f"{where}: advertises {url!r}; expected http://<its node's query service>:<port>, "
                 f"the query service being {' or '.join(sorted(names))}")
            continue
        port = value(match, "--port")
        if parts[2] != port:
            fail(f"{where}: advertises port {parts[2]}, but {match['name']} listens on {port}")
        if parts[3] not in ("", "/"):
            fail(f"{where}: advertises {url}, a base URL with a path ({parts[3]})")
    for flag, group in (("--group", indexers), ("--topic", indexers), ("--nodes-topic", with_id), ("--token", queries)):
        values = {e["name"]: value(e, flag) for e in group}
        if len(set(values.values())) > 1:
            fail(f"docker-compose.yml: the nodes differ in {flag}: {values}")


def k8s_environment(container, argv, config_maps):
    """A container's environment and command as Kubernetes builds them: envFrom, then env in
    order, `$(VAR)` expanded from the variables defined before it; a fieldRef reads as
    @POD_NAME@ (metadata.name), @POD_NAMESPACE@ (metadata.namespace) or @FIELD:path@.
    Returns (environment, argv, problems)."""
    tokens = {"metadata.name": "@POD_NAME@", "metadata.namespace": "@POD_NAMESPACE@"}
    values, problems = {}, []
    for source in container.get("envFrom", []):
        ref = (source.get("configMapRef") or {}).get("name")
        values.update({k: str(v) for k, v in config_maps.get(ref, {}).items()})

    def expand(text, where):
        def one(match):
            if match.group(0).startswith("$$"):
                return match.group(0)[1:]
            if match.group(1) in values:
                return values[match.group(1)]
            problems.append(f"$({match.group(1)}) in {where} is not defined before it (Kubernetes leaves it as it is)")
            return match.group(0)
        return re.sub(r"\$?\$\(([A-Za-z_][A-Za-z0-9_]*)\)", one, text)

    for variable in container.get("env", []):
        source = variable.get("valueFrom")
        if source is not None:
            field = (source.get("fieldRef") or {}).get("fieldPath")
            values[variable["name"]] = tokens.get(field, f"@FIELD:{field}@")
        else:
            values[variable["name"]] = expand(str(variable.get("value", "")), variable["name"])
    return values, [expand(part, "the command") for part in argv], problems


@check
def kubernetes_index_nodes(ctx, fail):
    """The index StatefulSet's nodes: with more than one replica, indexer and query service
    take the pod's name as node id; the indexer advertises
    http://$(POD_NAME).<serviceName>.<namespace>.svc:<query port> with every $(VAR) defined
    before use; serviceName is a headless Service selecting the pods; the query service
    listens beyond loopback; a PodDisruptionBudget lets one node go at a time."""
    config_maps = {doc["metadata"]["name"]: doc.get("data") or {} for _, doc in ctx.manifests if doc.get("kind") == "ConfigMap"}
    kustomization = next((doc for file, doc in ctx.manifests if file == "kustomization.yaml"), None) or {}
    namespaces = {"@POD_NAMESPACE@"} | ({kustomization["namespace"]} if kustomization.get("namespace") else set())
    services = {doc["metadata"]["name"]: doc for _, doc in ctx.manifests if doc.get("kind") == "Service"}
    budgets = [doc for _, doc in ctx.manifests if doc.get("kind") == "PodDisruptionBudget"]
    for file, doc in ctx.manifests:
        if doc.get("kind") != "StatefulSet":
            continue
        where = f"deploy/k8s/{file} StatefulSet {doc['metadata']['name']}"
        pod = doc["spec"]["template"]["spec"]
        labels = doc["spec"]["template"]["metadata"].get("labels") or {}
        replicas = int(doc["spec"].get("replicas", 1))
        containers = {}
        for container in pod.get("containers", []):
            argv = [str(a) for a in (container.get("command") or []) + (container.get("args") or [])]
            executable = ctx.executable(argv, container["name"])
            if executable not in INDEX_SERVICES or executable not in ctx.helps:
                continue
            env, argv, problems = k8s_environment(container, argv, config_maps)
            for problem in problems:
                fail(f"{where} container {container['name']}: {problem}")
            node = option_value(argv, "--node-id") or env.get("QUOTEWIRE_NODE_ID") or None
            containers[executable] = (container, argv, env, ctx.helps[executable], node)
            if node is None and replicas > 1:
                fail(f"{where} container {container['name']}: {replicas} replicas but no node id: "
                     "each pod would answer only for the shards of its own volume")
            elif node is not None and node != "@POD_NAME@":
                fail(f"{where} container {container['name']}: node id {node}, not the pod's name "
                     "(valueFrom.fieldRef.fieldPath: metadata.name)")
        if not containers:
            continue
        if len({entry[4] for entry in containers.values()}) > 1:
            fail(f"{where}: the indexer and the query service have different node ids "
                 f"({', '.join(f'{e}: {c[4]}' for e, c in sorted(containers.items()))})")
        if not any(entry[4] for entry in containers.values()):
            continue
        if replicas > 1:
            matching = [b for b in budgets
                        if b["spec"].get("selector", {}).get("matchLabels")
                        and all(labels.get(k) == v for k, v in b["spec"]["selector"]["matchLabels"].items())]
            allowed = [b for b in matching
                       if str(b["spec"].get("maxUnavailable", "")) == "1"
                       or str(b["spec"].get("minAvailable", "")) == str(replicas - 1)]
            if not allowed:
                fail(f"{where}: no PodDisruptionBudget lets at most one of its {replicas} nodes go "
                     f"({', '.join(b['metadata']['name'] for b in matching) or 'none selects its pods'})")
        service_name = doc["spec"].get("serviceName")
        headless = services.get(service_name)
        if headless is None:
            fail(f"{where}: serviceName {service_name} names no Service")
        else:
            if headless["spec"].get("clusterIP") != "None":
                fail(f"{where}: its Service {service_name} is not headless (clusterIP: None), so pods get no DNS names")
            selector = headless["spec"].get("selector") or {}
            if not selector or any(labels.get(k) != v for k, v in selector.items()):
                fail(f"{where}: its Service {service_name} selects {selector}, not its pods ({labels})")
        if "quotewire-query" not in containers or "quotewire-indexer" not in containers:
            fail(f"{where}: a node needs both the indexer and the query service ({', '.join(sorted(containers))})")
            continue
        _, query_argv, query_env, query_help, _ = containers["quotewire-query"]
        query_port = effective(query_help, "--port", query_argv, query_env)
        host = effective(query_help, "--host", query_argv, query_env)
        if host in LOOPBACK:
            fail(f"{where} query service: listens on {host}, where the other nodes cannot reach it")
        indexer, indexer_argv, indexer_env, indexer_help, _ = containers["quotewire-indexer"]
        url = effective(indexer_help, "--advertise-url", indexer_argv, indexer_env)
        parts = advertised_url(url)
        dns = re.fullmatch(r"([^.]+)\.([^.]+)\.([^.]+)\.svc(\.cluster\.local)?", parts[1]) if parts else None
        if not parts or parts[0] != "http" or not dns:
            fail(f"{where} container {indexer['name']}: advertises {url!r}, not http://<pod>.<service>.<namespace>.svc:<port>")
            continue
        if dns.group(1) != "@POD_NAME@":
            fail(f"{where} container {indexer['name']}: advertises the host {dns.group(1)}, not the pod's name")
        if dns.group(2) != service_name:
            fail(f"{where} container {indexer['name']}: advertises through the Service {dns.group(2)}, "
                 f"but pods get DNS names from serviceName {service_name}")
        if dns.group(3) not in namespaces:
            fail(f"{where} container {indexer['name']}: advertises the namespace {dns.group(3)}, "
                 "not the pod's (fieldRef metadata.namespace) or the kustomization's")
        if parts[2] != query_port:
            fail(f"{where} container {indexer['name']}: advertises port {parts[2]}, but the query service listens on {query_port}")


@check
def systemd_index_nodes(ctx, fail):
    """On a systemd host the indexer and the query service have the same node id; the env
    file's node settings (set, or as the commented example) pair the node id with an
    advertise URL on the query service's port, and a host with a node id does not listen on
    loopback only."""
    node_ids, query_port, query_host = {}, None, None
    for unit_name, _, argv, env, _ in ctx.unit_services():
        executable = ctx.executable(argv, unit_name)
        if executable not in INDEX_SERVICES or executable not in ctx.helps:
            continue
        help_ = ctx.helps[executable]
        node_ids[unit_name] = effective(help_, "--node-id", argv, env) or None
        if executable == "quotewire-query":
            query_port = effective(help_, "--port", argv, env)
            query_host = effective(help_, "--host", argv, env)
    if len(set(node_ids.values())) > 1:
        fail(f"deploy/systemd: the indexer and the query service have different node ids: {node_ids}")
    for settings, kind in ((ctx.env_file, "set"), (ctx.env_file_examples, "commented example")):
        if "QUOTEWIRE_NODE_ID" not in settings:
            continue
        where = f"deploy/systemd/quotewire.env.example ({kind})"
        url = settings.get("QUOTEWIRE_ADVERTISE_URL")
        if url is None:
            fail(f"{where}: QUOTEWIRE_NODE_ID without QUOTEWIRE_ADVERTISE_URL: the indexer refuses to start")
            continue
        parts = advertised_url(url)
        if not parts or parts[0] != "http" or parts[3] not in ("", "/"):
            fail(f"{where}: QUOTEWIRE_ADVERTISE_URL={url} is not an http:// base URL")
        elif parts[2] != query_port:
            fail(f"{where}: QUOTEWIRE_ADVERTISE_URL={url} names port {parts[2]}, the query service listens on {query_port}")
        if kind == "set" and query_host in LOOPBACK:
            fail(f"{where}: a node id with QUOTEWIRE_HOST={query_host}: the other hosts cannot reach this query service")


@check
def probes(ctx, fail):
    """Health checks and probes ask /healthz (liveness) and /readyz (readiness) on the port
    the service actually listens on."""
    for name, service, argv, env in ctx.quotewire_compose_services():
        executable = ctx.executable(argv, name)
        test = (service.get("healthcheck") or {}).get("test")
        if not test:
            fail(f"docker-compose.yml service {name}: no healthcheck")
            continue
        match = re.search(r"https?://[^/\s:]+:(\d+)(/\S*)", " ".join(test) if isinstance(test, list) else str(test))
        port = effective(ctx.helps[executable], "--port", argv, env)
        if not match or match.group(1) != port or match.group(2).rstrip('"') not in ("/readyz", "/healthz"):
            fail(f"docker-compose.yml service {name}: healthcheck {test} does not ask /readyz or /healthz on port {port}")
    for name in ("kafka",):
        if not ((ctx.compose.get("services") or {}).get(name) or {}).get("healthcheck"):
            fail(f"docker-compose.yml service {name}: no healthcheck")
    for file, doc, _, container, argv, env in ctx.containers():
        executable = ctx.executable(argv, container["name"])
        port = effective(ctx.helps[executable], "--port", argv, env)
        named = {p.get("name"): str(p.get("containerPort")) for p in container.get("ports", [])}
        for kind, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
            probe = (container.get(kind) or {}).get("httpGet")
            where = f"deploy/k8s/{file} container {container['name']} {kind}"
            if not probe:
                fail(f"{where}: missing (an httpGet on {path})")
                continue
            target = named.get(probe.get("port"), str(probe.get("port")))
            if probe.get("path") != path or target != port:
                fail(f"{where}: asks {probe.get('path')} on port {target}; expected {path} on {port}")


@check
def shutdown(ctx, fail):
    """Grace periods cover the drain bound: ingest may wait the drain time for publishes in
    flight and again to flush, so grace >= 2 x drain + 5 s."""
    def required(executable, argv, env):
        help_ = ctx.helps[executable]
        drain = effective(help_, "--drain-seconds", argv, env) if "--drain-seconds" in help_.options else "0"
        return 2 * int(drain) + 5, drain

    for name, service, argv, env in ctx.quotewire_compose_services():
        executable = ctx.executable(argv, name)
        need, drain = required(executable, argv, env)
        grace = seconds(service.get("stop_grace_period", "10s"))
        if grace < need:
            fail(f"docker-compose.yml service {name}: stop_grace_period {grace}s < 2 x drain ({drain}s) + 5s")
    for file, doc, pod, container, argv, env in ctx.containers():
        need, drain = required(ctx.executable(argv, container["name"]), argv, env)
        grace = int(pod.get("terminationGracePeriodSeconds", 30))
        if grace < need:
            fail(f"deploy/k8s/{file} {doc['metadata']['name']}: terminationGracePeriodSeconds {grace} < 2 x drain ({drain}s) + 5s")
    for unit_name, unit, argv, env, _ in ctx.unit_services():
        need, drain = required(ctx.executable(argv, unit_name), argv, env)
        service = dict(unit.get("Service", []))
        grace = seconds(service.get("TimeoutStopSec", "90"))
        if grace < need or service.get("KillSignal", "SIGTERM") != "SIGTERM":
            fail(f"deploy/systemd/{unit_name}: TimeoutStopSec {grace}s < 2 x drain ({drain}s) + 5s, or not stopped by SIGTERM")


@check
def kubernetes_shape(ctx, fail):
    """Deployments for ingest and parser, the StatefulSet for indexer + query, Services for
    ingest and query, the ConfigMap and Secret they reference, resources on every container,
    and a kustomization listing every manifest."""
    runs = {}
    for _, doc, _, container, argv, _ in ctx.containers():
        runs[ctx.executable(argv, container["name"])] = doc["kind"]
        resources = container.get("resources") or {}
        for part in ("requests", "limits"):
            for resource in ("cpu", "memory"):
                if resource not in (resources.get(part) or {}):
                    fail(f"deploy/k8s container {container['name']}: no {resource} in resources.{part}")
        security = container.get("securityContext") or {}
        if security.get("allowPrivilegeEscalation") is not False:
            fail(f"deploy/k8s container {container['name']}: allowPrivilegeEscalation is not false")
    expected = {"quotewire-ingest": "Deployment", "quotewire-parser": "Deployment",
                "quotewire-indexer": "StatefulSet", "quotewire-query": "StatefulSet"}
    for executable, kind in expected.items():
        if runs.get(executable) != kind:
            fail(f"deploy/k8s: {executable} should run in a {kind}, runs in {runs.get(executable)}")
    for _, doc in ctx.manifests:
        if doc.get("kind") in ("Deployment", "StatefulSet"):
            pod = doc["spec"]["template"]["spec"]
            if not (pod.get("securityContext") or {}).get("runAsNonRoot"):
                fail(f"deploy/k8s {doc['metadata']['name']}: the pod does not require runAsNonRoot")
    services = {}
    for _, doc in ctx.manifests:
        if doc.get("kind") == "Service":
            services[doc["metadata"]["name"]] = doc
    for name in ("quotewire-ingest", "quotewire-query"):
        if name not in services:
            fail(f"deploy/k8s: no Service {name}")
    names = {(doc.get("kind"), (doc.get("metadata") or {}).get("name")) for _, doc in ctx.manifests}
    for _, doc, pod, container, _, _ in ctx.containers():
        for source in container.get("envFrom", []):
            ref = (source.get("configMapRef") or {}).get("name")
            if ref and ("ConfigMap", ref) not in names:
                fail(f"deploy/k8s container {container['name']}: ConfigMap {ref} does not exist")
        for volume in pod.get("volumes", []):
            ref = (volume.get("secret") or {}).get("secretName")
            if ref and ("Secret", ref) not in names:
                fail(f"deploy/k8s {doc['metadata']['name']}: Secret {ref} does not exist")
    if not any(kind == "Secret" for kind, _ in names) or not any(kind == "ConfigMap" for kind, _ in names):
        fail("deploy/k8s: a ConfigMap and a Secret are expected")
    kustomization = next((doc for file, doc in ctx.manifests if file == "kustomization.yaml"), None)
    listed = set((kustomization or {}).get("resources", []))
    for file in ctx.k8s_files:
        if file != "kustomization.yaml" and file not in listed:
            fail(f"deploy/k8s/kustomization.yaml does not list {file}")


@check
def kubernetes_schema(ctx, fail):
    """Every manifest validates (strict) against the Kubernetes JSON schemas that the
    kubernetes-validate package carries (offline)."""
    files = [os.path.join(ctx.root, "deploy", "k8s", f) for f in ctx.k8s_files if f != "kustomization.yaml"]
    tool = shutil.which("kubernetes-validate")
    command = [tool] if tool else [sys.executable, "-m", "kubernetes_validate"]
    result = subprocess.run(command + ["--strict", "--quiet", "--no-warn"] + files, capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        fail("kubernetes-validate:\n" + (result.stdout + result.stderr).strip())


@check
def systemd_units(ctx, fail):
    """Units parse with `systemd-analyze verify` (executables not installed here are
    expected), run as the quotewire user, and are wanted by quotewire.target."""
    for unit_name, unit, _, _, _ in ctx.unit_services():
        service = dict(unit.get("Service", []))
        if service.get("User") != "quotewire":
            fail(f"deploy/systemd/{unit_name}: not run as the quotewire user")
        if service.get("EnvironmentFile") != "/etc/quotewire/quotewire.env":
            fail(f"deploy/systemd/{unit_name}: EnvironmentFile is not /etc/quotewire/quotewire.env")
    tool = shutil.which("systemd-analyze")
    if not tool:
        print("    (systemd-analyze not installed: unit syntax not verified)")
        return
    work = tempfile.mkdtemp()
    try:
        paths = []
        for unit_name in ctx.units:
            source = os.path.join(ctx.root, "deploy", "systemd", unit_name)
            target = os.path.join(work, unit_name.replace("@.service", "@8082.service"))
            shutil.copy(source, target)
            paths.append(target)
        result = subprocess.run([tool, "verify", "--man=no", "--generators=no"] + paths,
                                capture_output=True, text=True, timeout=60)
        for line in (result.stdout + result.stderr).splitlines():
            if "is not executable" in line or "not loaded" in line or not line.strip():
                continue
            fail(f"systemd-analyze verify: {line.replace(work + '/', '')}")
    finally:
        shutil.rmtree(work)


@check
def dockerfile(ctx, fail):
    """deploy/Dockerfile builds with the Swift image of Package.swift's tools version, gets
    librdkafka >= 2.8 into build and runtime stages, installs every executable product and
    runs as a non-root user; compose builds it."""
    tools = re.search(r"swift-tools-version:\s*(\d+\.\d+)", read(ctx.root, "Package.swift")).group(1)
    image = re.search(r"ARG SWIFT_IMAGE=swift:(\S+)", ctx.dockerfile)
    if not image or not image.group(1).startswith(tools + "-") or "bookworm" not in image.group(1):
        fail(f"deploy/Dockerfile: the Swift image {image.group(1) if image else '?'} is not swift:{tools}-bookworm")
    stages = re.findall(r"^FROM\s+(\S+)\s+AS\s+(\S+)", ctx.dockerfile, re.M)
    if [s[1] for s in stages] != ["rdkafka", "build", "runtime"]:
        fail(f"deploy/Dockerfile: stages {stages}; expected rdkafka, build, runtime")
    for stage in ("build", "runtime"):
        body = ctx.dockerfile.split(f"AS {stage}", 1)[-1].split("\nFROM ", 1)[0]
        if "COPY --from=rdkafka" not in body:
            fail(f"deploy/Dockerfile: the {stage} stage does not take librdkafka from the rdkafka stage")
    if "LIBRDKAFKA_MIN_VERSION=2.8" not in ctx.dockerfile or "trixie" not in ctx.dockerfile:
        fail("deploy/Dockerfile: the librdkafka stage does not build trixie's source and check for >= 2.8")
    listed = re.search(r"for product in ([^;]+); do", ctx.dockerfile)
    installed = set(listed.group(1).split()) if listed else set()
    for product in ctx.products:
        if product not in installed:
            fail(f"deploy/Dockerfile: does not install the executable product {product}")
    users = re.findall(r"^USER\s+(\S+)", ctx.dockerfile.split("AS runtime", 1)[-1], re.M)
    if not users or users[-1].split(":")[0] in ("root", "0"):
        fail("deploy/Dockerfile: the runtime stage does not switch to a non-root USER")
    for name, service, _, _ in ctx.quotewire_compose_services():
        build = service.get("build") or {}
        path = os.path.join(ctx.root, build.get("context", "."), build.get("dockerfile", "Dockerfile"))
        if os.path.normpath(path) != os.path.normpath(os.path.join(ctx.root, "deploy", "Dockerfile")):
            fail(f"docker-compose.yml service {name}: builds {build}, not deploy/Dockerfile")


def dockerfile_stage(dockerfile, stage):
    """The text of one stage of deploy/Dockerfile, from its FROM to the next."""
    return dockerfile.split(f"AS {stage}\n", 1)[-1].split("\nFROM ", 1)[0]


def apt_installs(stage_text):
    """The packages an `apt-get install` of a Dockerfile stage names."""
    packages = []
    for command in re.findall(r"apt-get install ((?:[^;]|\\\n)*)", stage_text):
        packages += [word for word in command.replace("\\\n", " ").split()
                     if not word.startswith("-") and word != "\\"]
    return packages


def linked_libraries(root):
    """The system libraries the code links: each `link "NAME"` of our module maps, and SQLite,
    which GRDB links through a module map of its own."""
    names = set()
    for folder in ("Shared", "Services", "Tools"):
        for base, _, files in os.walk(os.path.join(root, folder)):
            for name in files:
                if name.endswith(".modulemap"):
                    with open(os.path.join(base, name), encoding="utf-8") as handle:
                        names |= set(re.findall(r'\blink\s+"([^"]+)"', handle.read()))
    if "github.com/groue/GRDB.swift" in read(root, "Package.swift"):
        names.add("sqlite3")
    return names


@check
def image_libraries(ctx, fail):
    """deploy/Dockerfile installs each system library the code links (module maps' `link`,
    SQLite through GRDB) as -dev package in the build stage (librdkafka: its own stage), and
    the run-time package of every -dev package the rdkafka and build stages build against in
    the runtime stage; otherwise an executable of the image fails to load."""
    build = apt_installs(dockerfile_stage(ctx.dockerfile, "build"))
    rdkafka = apt_installs(dockerfile_stage(ctx.dockerfile, "rdkafka"))
    runtime = apt_installs(dockerfile_stage(ctx.dockerfile, "runtime"))
    if not build or not runtime:
        fail("deploy/Dockerfile: no apt-get install found in the build or runtime stage")
    for library in sorted(linked_libraries(ctx.root) - {"rdkafka"}):
        if f"lib{library}-dev" not in build:
            fail(f"deploy/Dockerfile: the code links {library}, but the build stage does not install lib{library}-dev")
    for dev in sorted({p for p in build + rdkafka if p.endswith("-dev")}):
        stem = dev[: -len("-dev")]
        if not any(package.startswith(stem) and not package.endswith("-dev") for package in runtime):
            fail(f"deploy/Dockerfile: the image is built against {dev}, but the runtime stage installs no {stem}* package")


@check
def image_size(ctx, fail):
    """deploy/Dockerfile keeps the runtime image small: it strips the executables, links the
    Swift runtime dynamically and copies its libraries into the runtime stage once (linked
    statically, each executable carried about 58 MB of it), and strips librdkafka; the
    container check (scripts/containers/run.sh) measures the result."""
    build = dockerfile_stage(ctx.dockerfile, "build")
    runtime = dockerfile_stage(ctx.dockerfile, "runtime")
    if "--static-swift-stdlib" in build or "-static-stdlib" in build:
        fail("deploy/Dockerfile: the build links Swift's runtime into every executable (--static-swift-stdlib)")
    if not re.search(r"\bstrip /staging/bin/", build):
        fail("deploy/Dockerfile: the build stage does not strip the executables it stages")
    if "COPY --from=build /staging/swift/" not in runtime:
        fail("deploy/Dockerfile: the runtime stage does not take the Swift runtime libraries staged by the build")
    if "strip --strip-unneeded /opt/rdkafka/usr/local/lib/librdkafka.so.1" not in ctx.dockerfile:
        fail("deploy/Dockerfile: librdkafka is not stripped")


@check
def container_check(ctx, fail):
    """The container check's compose override (scripts/containers/compose.tansu.yml) replaces
    only scalars and maps of services the compose file has (podman-compose appends lists), and
    the Tansu image stands in for every Kafka tool the compose file calls."""
    override = yaml.safe_load(read(ctx.root, "scripts/containers/compose.tansu.yml"))
    for name, service in (override.get("services") or {}).items():
        if name not in ctx.compose.get("services", {}):
            fail(f"compose.tansu.yml: service {name} is not in docker-compose.yml")
        for key, value in service.items():
            if isinstance(value, list):
                fail(f"compose.tansu.yml: {name}.{key} is a list, which podman-compose appends to the compose file's")
    tools = set(re.findall(r"/opt/kafka/bin/([A-Za-z0-9_.-]+)", read(ctx.root, "docker-compose.yml")))
    stand_ins = set(os.listdir(os.path.join(ctx.root, "scripts", "containers", "kafka-cli")))
    for tool in sorted(tools - stand_ins):
        fail(f"docker-compose.yml calls /opt/kafka/bin/{tool}, which scripts/containers/kafka-cli/ has no stand-in for")


@check
def readme(ctx, fail):
    """README shows compose in use (`docker compose up`, then publish, quotes --follow and
    search against it); its settings tables (Services and settings, Scaling out) name every
    flag and variable of the services; Scaling out names the nodes topic, partial answers and
    the host ports of compose's query services."""
    match = re.search(r"^## [^\n]*[Cc]ompose[^\n]*\n(.*?)(?=^## )", ctx.readme, re.M | re.S)
    if not match:
        fail("README.md: no `## …compose…` section")
    else:
        for needed in ("docker compose up", "quotewire publish", "quotewire quotes --follow", "quotewire search"):
            if needed not in match.group(1):
                fail(f"README.md compose section: does not show `{needed}`")
    table = re.search(r"^## Services and settings\n(.*?)(?=^## )", ctx.readme, re.M | re.S)
    scaling = re.search(r"^## Scaling out\n(.*?)(?=^## |\Z)", ctx.readme, re.M | re.S)
    if not scaling:
        fail("README.md: no `## Scaling out` section")
    else:
        for needed in (ctx.topics["indexNodes"], "partial", "missingPartitions"):
            if needed not in scaling.group(1):
                fail(f"README.md Scaling out: does not name `{needed}`")
        for entry in compose_index_services(ctx):
            if entry["executable"] != "quotewire-query" or not entry["node"]:
                continue
            for published in entry["service"].get("ports", []):
                host = ":".join(str(published).split(":")[:-1]) or str(published)
                if host not in scaling.group(1):
                    fail(f"README.md Scaling out: does not show {host}, where compose publishes "
                         f"{entry['name']} (node {entry['node']})")
    if not table:
        fail("README.md: no `## Services and settings` section")
        return
    text = table.group(1) + (scaling.group(1) if scaling else "")
    for service in SERVICES:
        help_ = ctx.helps.get(service)
        for flag, option in (help_.options.items() if help_ else []):
            if flag == "--help":
                continue
            if f"`{flag}" not in text:
                fail(f"README.md settings: {service} {flag} is not in the table")
            if option["env"] and option["env"] not in text:
                fail(f"README.md settings: {option['env']} ({service} {flag}) is not in the table")


# ----------------------------------------------------------------------------- self-test

# One way to break each check: (check, file, text to find, replacement).
MUTATIONS = [
    ("help_and_settings", "Services/quotewire-parser/QuotewireParser.swift", '"QUOTEWIRE_PARSER_GROUP"', '"QUOTEWIRE_PARSER_GRP"'),
    ("commands", "docker-compose.yml", 'command: ["quotewire-parser"]', 'command: ["quotewire-parser", "--workers", "2"]'),
    ("commands", "deploy/k8s/index.yaml", 'command: ["quotewire-query"]', 'command: ["quotewire-search"]'),
    ("commands", "deploy/systemd/quotewire-indexer.service", "ExecStart=/usr/local/bin/quotewire-indexer", "ExecStart=/usr/local/bin/quotewire-indexer --batch 5"),
    ("environment", "docker-compose.yml", "QUOTEWIRE_INDEXER_GROUP: indexer", "QUOTEWIRE_INDEXER_GROUPS: indexer"),
    ("environment", "deploy/k8s/configmap.yaml", 'QUOTEWIRE_LOG_LEVEL: "info"', 'QUOTEWIRE_LOGLEVEL: "info"'),
    ("environment", "deploy/systemd/quotewire.env.example", "QUOTEWIRE_DRAIN_SECONDS=10", "QUOTEWIRE_DRAIN_SECS=10"),
    ("ports", "docker-compose.yml", '"127.0.0.1:8081:8081"', '"127.0.0.1:8081:8091"'),
    ("ports", "docker-compose.yml", '"127.0.0.1:8094:8084"', '"127.0.0.1:8094:8085"'),
    ("ports", "deploy/k8s/index.yaml", "targetPort: query-web", "targetPort: query-page"),
    ("ports", "deploy/k8s/configmap.yaml", 'QUOTEWIRE_PARSER_PORT: "8082"', 'QUOTEWIRE_PARSER_PORT: "9082"'),
    ("ports", "deploy/k8s/ingest.yaml", "targetPort: http", "targetPort: web"),
    ("ports", "deploy/systemd/quotewire.target", "quotewire-parser@8082.service", "quotewire-parser@8092.service"),
    ("topics", "docker-compose.yml", "create quotes.parsed compact", "create quotes.parsed delete"),
    ("topics", "docker-compose.yml", 'PARTITIONS: "3"', 'PARTITIONS: "6"'),
    ("topics", "docker-compose.yml", "KAFKA_MESSAGE_MAX_BYTES: 10485760", "KAFKA_MESSAGE_MAX_BYTES: 1048576"),
    ("topics", "deploy/k8s/configmap.yaml", 'QUOTEWIRE_DLQ_TOPIC: "articles.dlq"', 'QUOTEWIRE_DLQ_TOPIC: "articles.dead"'),
    ("topics", "docker-compose.yml", "create index.nodes compact 1", "create index.nodes compact"),
    ("topics", "deploy/k8s/configmap.yaml", 'QUOTEWIRE_NODES_TOPIC: "index.nodes"', 'QUOTEWIRE_NODES_TOPIC: "index.node"'),
    ("volumes", "docker-compose.yml", "      - index-b:/var/lib/quotewire/index\n    ports:", "      - query-index:/var/lib/quotewire/index\n    ports:"),
    ("volumes", "deploy/k8s/index.yaml", "            - name: index\n              mountPath: /var/lib/quotewire/index\n            - name: tmp\n              mountPath: /tmp\n      volumes:",
     "            - name: tmp\n              mountPath: /var/lib/quotewire/index\n      volumes:"),
    ("volumes", "deploy/systemd/quotewire.env.example", "QUOTEWIRE_INDEX=/var/lib/quotewire/index", "QUOTEWIRE_INDEX=/srv/index"),
    ("compose_index_nodes", "docker-compose.yml", "QUOTEWIRE_ADVERTISE_URL: http://query-b:8081", "QUOTEWIRE_ADVERTISE_URL: http://query-a:8081"),
    ("compose_index_nodes", "docker-compose.yml", "QUOTEWIRE_ADVERTISE_URL: http://query-a:8081", "QUOTEWIRE_ADVERTISE_URL: http://query-a:8091"),
    ("compose_index_nodes", "docker-compose.yml", "QUOTEWIRE_ADVERTISE_URL: http://query-a:8081", "QUOTEWIRE_ADVERTISE_URL: http://127.0.0.1:8081"),
    ("compose_index_nodes", "docker-compose.yml", "      <<: *query-environment\n      QUOTEWIRE_NODE_ID: b", "      <<: *query-environment\n      QUOTEWIRE_NODE_ID: c"),
    ("compose_index_nodes", "docker-compose.yml", "      QUOTEWIRE_NODE_ID: b\n      QUOTEWIRE_ADVERTISE_URL: http://query-b:8081\n", ""),
    ("compose_index_nodes", "docker-compose.yml", "      QUOTEWIRE_NODE_ID: b\n      QUOTEWIRE_ADVERTISE_URL", "      QUOTEWIRE_NODE_ID: b\n      QUOTEWIRE_INDEXER_GROUP: indexer-b\n      QUOTEWIRE_ADVERTISE_URL"),
    ("compose_index_nodes", "docker-compose.yml", "      - index-b:/var/lib/quotewire/index\n    ports:", "      - index-a:/var/lib/quotewire/index\n    ports:"),
    ("compose_index_nodes", "docker-compose.yml", "  QUOTEWIRE_HOST: 0.0.0.0\n  QUOTEWIRE_LOG_FORMAT: json\n  QUOTEWIRE_LOG_LEVEL: info\n  QUOTEWIRE_QUERY_PORT",
     "  QUOTEWIRE_HOST: 127.0.0.1\n  QUOTEWIRE_LOG_FORMAT: json\n  QUOTEWIRE_LOG_LEVEL: info\n  QUOTEWIRE_QUERY_PORT"),
    ("kubernetes_index_nodes", "deploy/k8s/index.yaml", "            - name: QUOTEWIRE_NODE_ID\n              valueFrom:\n                fieldRef:\n                  fieldPath: metadata.name",
     "            - name: QUOTEWIRE_NODE_ID\n              valueFrom:\n                fieldRef:\n                  fieldPath: spec.nodeName"),
    ("kubernetes_index_nodes", "deploy/k8s/index.yaml", "          env:\n            - name: QUOTEWIRE_NODE_ID\n              valueFrom:\n                fieldRef:\n                  fieldPath: metadata.name\n          ports:",
     "          ports:"),
    ("kubernetes_index_nodes", "deploy/k8s/index.yaml", "http://$(POD_NAME).quotewire-index.", "http://$(POD_NAME).quotewire-query."),
    ("kubernetes_index_nodes", "deploy/k8s/index.yaml", "http://$(POD_NAME).quotewire-index.", "http://$(HOSTNAME).quotewire-index."),
    ("kubernetes_index_nodes", "deploy/k8s/index.yaml", ".$(POD_NAMESPACE).svc:8081", ".$(POD_NAMESPACE).svc:8083"),
    ("kubernetes_index_nodes", "deploy/k8s/index.yaml", "  serviceName: quotewire-index", "  serviceName: quotewire-nodes"),
    ("kubernetes_index_nodes", "deploy/k8s/index.yaml", "  clusterIP: None\n", ""),
    ("kubernetes_index_nodes", "deploy/k8s/index.yaml", "  maxUnavailable: 1", "  maxUnavailable: 2"),
    ("systemd_index_nodes", "deploy/systemd/quotewire.env.example", "#QUOTEWIRE_ADVERTISE_URL=http://index-1.example.internal:8081", "#QUOTEWIRE_ADVERTISE_URL=http://index-1.example.internal:8083"),
    ("systemd_index_nodes", "deploy/systemd/quotewire.env.example", "#QUOTEWIRE_NODE_ID=index-1", "QUOTEWIRE_NODE_ID=index-1"),
    ("systemd_index_nodes", "deploy/systemd/quotewire-query.service", "ExecStart=/usr/local/bin/quotewire-query", "ExecStart=/usr/local/bin/quotewire-query --node-id query-1"),
    ("probes", "docker-compose.yml", "http://127.0.0.1:8083/readyz", "http://127.0.0.1:8082/readyz"),
    ("probes", "deploy/k8s/parser.yaml", "path: /healthz", "path: /readyz"),
    ("probes", "deploy/k8s/index.yaml", "              path: /readyz\n              port: query-http", "              path: /readyz\n              port: indexer-ops"),
    ("shutdown", "deploy/k8s/parser.yaml", "terminationGracePeriodSeconds: 30", "terminationGracePeriodSeconds: 10"),
    ("shutdown", "docker-compose.yml", "stop_grace_period: 30s", "stop_grace_period: 12s"),
    ("shutdown", "deploy/systemd/quotewire-ingest.service", "TimeoutStopSec=30", "TimeoutStopSec=15"),
    ("kubernetes_shape", "deploy/k8s/ingest.yaml", "              memory: 512Mi", "              ephemeral-storage: 1Gi"),
    ("kubernetes_shape", "deploy/k8s/kustomization.yaml", "  - parser.yaml\n", ""),
    ("kubernetes_schema", "deploy/k8s/parser.yaml", "containerPort: 8082", "containerPort: eight"),
    ("systemd_units", "deploy/systemd/quotewire-query.service", "[Install]", "Restart=sometimes\n\n[Install]"),
    ("dockerfile", "deploy/Dockerfile", "quotewire-query quotewire-bench", "quotewire-query"),
    ("dockerfile", "deploy/Dockerfile", "USER 10001:10001", "USER root"),
    ("image_libraries", "deploy/Dockerfile", "libsqlite3-dev ", ""),
    ("image_libraries", "deploy/Dockerfile", "libsqlite3-0 libxml2 ", ""),
    ("image_size", "deploy/Dockerfile", "swift build -c release;", "swift build -c release --static-swift-stdlib;"),
    ("image_size", "deploy/Dockerfile", "    strip /staging/bin/*; \\\n", ""),
    ("container_check", "scripts/containers/compose.tansu.yml", "  topics:\n", "  topics:\n    command: [\"true\"]\n"),
    ("container_check", "docker-compose.yml", "/opt/kafka/bin/kafka-topics.sh --bootstrap-server \"$$BOOTSTRAP\" --describe",
     "/opt/kafka/bin/kafka-configs.sh --bootstrap-server \"$$BOOTSTRAP\" --describe"),
    ("readme", "README.md", "quotewire quotes --follow --from-beginning", "quotewire quotes --from-beginning"),
    ("readme", "README.md", "`--batch-milliseconds", "`--batch-ms"),
    ("readme", "README.md", "`QUOTEWIRE_PEER_TIMEOUT_MS`", "`QUOTEWIRE_PEER_TIMEOUT`"),
    ("readme", "docker-compose.yml", '"127.0.0.1:8091:8081"', '"127.0.0.1:8092:8081"'),
]


def copy_repository(root):
    work = tempfile.mkdtemp(prefix="quotewire-deploy-checks-")
    for entry in ("Package.swift", "README.md", "docker-compose.yml"):
        shutil.copy(os.path.join(root, entry), work)
    for folder in ("deploy", "Shared", "Services", "Tools", "scripts/containers"):
        shutil.copytree(os.path.join(root, folder), os.path.join(work, folder))
    return work


def self_test(root, bin_dir, helps):
    by_name = {function.__name__: function for function in CHECKS}
    problems = 0
    covered = set()
    for name, relative, old, new in MUTATIONS:
        work = copy_repository(root)
        try:
            path = os.path.join(work, relative)
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            if old not in text:
                print(f"SELF-TEST BROKEN: {relative} no longer contains {old!r}")
                problems += 1
                continue
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text.replace(old, new, 1))
            # A mutated Swift source changes what --help would say only after a rebuild; the
            # help texts stay the built ones, so the mutation tests the code-vs-help comparison.
            failures = run_checks(Context(work, bin_dir, helps), [by_name[name]], quiet=True)
            if failures:
                covered.add(name)
                print(f"ok   {name} fails when {relative}: {old.strip()[:40]!r} -> {new.strip()[:40]!r}: {' '.join(failures[0].split())[:110]}")
            else:
                print(f"FAIL {name} did not notice {relative}: {old.strip()[:40]!r} -> {new.strip()[:40]!r}")
                problems += 1
        finally:
            shutil.rmtree(work)
    for function in CHECKS:
        if function.__name__ not in covered:
            print(f"FAIL {function.__name__} has no mutation that makes it fail")
            problems += 1
    return problems


# ----------------------------------------------------------------------------- runner

def run_checks(ctx, selected, quiet=False):
    everything = []
    for function in selected:
        failures = []
        try:
            function(ctx, failures.append)
        except CheckFailed as error:
            failures.append(str(error))
        except (KeyError, TypeError, AttributeError, ValueError) as error:
            failures.append(f"unexpected structure: {type(error).__name__}: {error}")
        if not quiet:
            doc = " ".join((function.__doc__ or "").split())
            if failures:
                print(f"FAIL {function.__name__}: {doc}")
                for failure in failures:
                    print(f"     - {failure}")
            else:
                print(f"ok   {function.__name__}: {doc}")
        everything += failures
    return everything


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", required=True, help="the folder with the built executables")
    parser.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser.add_argument("--only", nargs="*", help="run only these checks")
    parser.add_argument("--self-test", action="store_true", help="break copies of the files and expect each check to fail")
    arguments = parser.parse_args()
    try:
        ctx = Context(arguments.root, arguments.bin)
    except (CheckFailed, yaml.YAMLError, OSError) as error:
        print(f"FAIL parse: the deployment files or the code cannot be read: {error}")
        return 1
    print("ok   parse: docker-compose.yml, deploy/k8s/*.yaml, deploy/systemd/*, deploy/Dockerfile and "
          f"{len(ctx.products)} executables' --help read")
    if arguments.self_test:
        return 1 if self_test(arguments.root, arguments.bin, ctx.helps) else 0
    selected = [f for f in CHECKS if not arguments.only or f.__name__ in arguments.only]
    return 1 if run_checks(ctx, selected) else 0


if __name__ == "__main__":
    sys.exit(main())
