FROM nginx:1.25-alpine
HEALTHCHECK NONE
HEALTHCHECK --interval=10s --timeout=2s --start-period=5s --start-interval=1s --retries=5 \
  CMD curl -fsS http://localhost/ || exit 1
HEALTHCHECK CMD ["wget", "-q", "--spider", "http://localhost/"]
HEALTHCHECK CMD-SHELL exit 0
