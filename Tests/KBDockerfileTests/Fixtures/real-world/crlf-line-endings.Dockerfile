FROM alpine:3.19
RUN apk add --no-cache \
    git \
    openssh
# a comment
COPY <<EOF /etc/motd
welcome
EOF
CMD ["/bin/sh"]
