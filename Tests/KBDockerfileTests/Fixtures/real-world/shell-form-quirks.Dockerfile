FROM bash:5
SHELL ["/usr/local/bin/bash", "-o", "pipefail", "-c"]
RUN echo $((1 + 2)) | cat && echo 'it''s' && echo "a\"b" && echo \$HOME
RUN for i in 1 2 3; do echo "$i"; done; \
    if [ -n "${FOO:-}" ]; then echo set; fi
RUN echo a\
b\
c
RUN echo tab	separated	words
USER root
WORKDIR /a b/c
ENTRYPOINT exec bash -c "echo hello"
