#!/usr/bin/env python3
"""podman-compose 1.0.6 as the container check runs it: without podman's --requires.

podman-compose gives each container `--requires=` the containers of its depends_on. Podman 4.3
then refuses to start a service once the one-shot `topics` job it requires has exited
("generating dependency graph for container ...: container ... depends on container ... not
found in input list"). run.sh starts the services in depends_on order itself and waits for each
condition, so the flag is left out. Run with the Python of tools/podman-compose.
"""

import podman_compose

_container_to_args = podman_compose.container_to_args


def container_to_args(compose, cnt, detached=True):
    return [arg for arg in _container_to_args(compose, cnt, detached) if not arg.startswith("--requires=")]


podman_compose.container_to_args = container_to_args

if __name__ == "__main__":
    podman_compose.main()
