# syntax=docker/dockerfile:1.7-labs
FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim
WORKDIR /app
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=uv.lock,target=uv.lock \
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
    uv sync --frozen --no-install-project
COPY <<EOF /app/main.py
import os
print(f"hello from {os.uname().sysname}")
EOF
RUN <<EOF
set -e
uv run python -c 'import sys; print(sys.version)'
EOF
CMD ["uv", "run", "main.py"]
