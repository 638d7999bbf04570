#!/usr/bin/env bash
set -euo pipefail
export DEEPINFRA_TOKEN=FZ8l74xjDsHpdYOqOVOVbtvb3XfMva4r
deepctl deploy list
