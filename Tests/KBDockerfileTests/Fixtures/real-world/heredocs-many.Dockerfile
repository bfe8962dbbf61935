FROM debian:bookworm-slim
RUN <<EOT bash
  set -euo pipefail
  apt-get update
  apt-get install -y --no-install-recommends vim
EOT
COPY <<FILE1 <<FILE2 /dest/
content 1
FILE1
content 2
FILE2
RUN <<"QUOTED"
echo "$HOME is not expanded here"
QUOTED
RUN 3<<FD3 cat <&3
from fd 3
FD3
RUN python3 <<PY
print("hi")
PY
COPY --chmod=0755 <<'SCRIPT' /usr/local/bin/entry
#!/bin/sh
exec "$@"
SCRIPT
ADD <<EOF /etc/added
added
EOF
RUN ["echo", "<<NOTHEREDOC"]
RUN echo "<<NOTHEREDOC"
ONBUILD RUN <<EOF
echo onbuild heredoc
EOF
