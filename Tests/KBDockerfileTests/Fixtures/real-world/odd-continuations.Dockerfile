FROM debian:bookworm-slim
# comment lines inside a continued RUN are dropped
RUN apt-get update \
# the package list
    && apt-get install -y --no-install-recommends \
        curl \
        # indented comment
        ca-certificates \
    && rm -rf /var/lib/apt/lists/*
RUN echo one \
\
two
RUN echo "a \
b"     \
   && echo c
ENV A=1 \
    B="two words" \
    C=three\ four
RUN echo trailing-spaces-after-backslash \   
    done
LABEL org.opencontainers.image.title="odd" \
      org.opencontainers.image.description="continuations of every kind"
