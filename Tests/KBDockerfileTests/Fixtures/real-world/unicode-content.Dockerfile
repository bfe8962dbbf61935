FROM alpine:3.19
LABEL description="Ünïcödé ☃ and 日本語"
ENV GREETING=héllo
RUN echo "grüße aus dem Container" > /greeting.txt
CMD ["echo", "♥"]
