struct MissingCACertificatesRule: Rule {
    static let description = RuleDescription(
        id: "KB110", name: "missing-ca-certificates", severity: .warning, category: .minimalImage,
        summary: "A program that makes TLS connections runs in an image without CA certificates.",
        rationale: """
            To check a server's certificate a TLS client needs the certificate authorities' bundle, which \
            lives under /etc/ssl and comes from the ca-certificates package. `scratch` has none, and neither \
            do Debian's base images until the package is installed. Without it every HTTPS request fails, in \
            Go with `x509: certificate signed by unknown authority`. kb reports it when it sees a sign of \
            TLS use: Go sources that import crypto/tls or crypto/x509 or hold an https:// address, or an https:// address in \
            ENV. (A program that only serves plain HTTP needs no bundle.) Copy the \
            bundle from a stage that has it: `COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/`.
            """,
        article: "static-and-dynamic-linking.md",
        examples: [
            .triggering("""
                FROM golang:1.22 AS build
                WORKDIR /src
                COPY . .
                RUN CGO_ENABLED=0 go build -o /out/fetch .
                ↓FROM scratch
                COPY --from=build /out/fetch /fetch
                ENTRYPOINT ["/fetch"]
                """, context: ["main.go": "package main\n\nimport \"net/http\"\n\nfunc main() { http.Get(\"https://example.com\") }\n"]),
            .passing("""
                FROM golang:1.22 AS build
                WORKDIR /src
                COPY . .
                RUN CGO_ENABLED=0 go build -o /out/server .
                FROM scratch
                COPY --from=build /out/server /server
                ENTRYPOINT ["/server"]
                """, context: ["main.go": "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":8080\", nil) }\n"],
                note: "A plain HTTP server needs no CA bundle."),
            .triggering("""
                ↓FROM scratch
                ENV UPSTREAM=https://api.example.com
                COPY client /client
                ENTRYPOINT ["/client"]
                """),
            .passing("""
                FROM golang:1.22 AS build
                WORKDIR /src
                COPY . .
                RUN CGO_ENABLED=0 go build -o /out/fetch .
                FROM scratch
                COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/
                COPY --from=build /out/fetch /fetch
                ENTRYPOINT ["/fetch"]
                """, context: ["main.go": "package main\n\nimport \"net/http\"\n\nfunc main() { http.Get(\"https://example.com\") }\n"]),
            .passing("""
                FROM golang:1.22 AS build
                WORKDIR /src
                COPY . .
                RUN CGO_ENABLED=0 go build -o /out/hello .
                FROM scratch
                COPY --from=build /out/hello /hello
                """, context: ["main.go": "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n"],
                note: "No sign of network use: nothing to say."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        guard let final = build.finalStage, final.traits?.hasCACertificates == false else { return }
        var signals: [String] = []
        if !build.shippedArtifacts(.nativeBinary).filter({ $0.artifact.tool.hasPrefix("go ") }).isEmpty, let context = build.context {
            if let tls = context.goImports.filter({ $0 == "crypto/tls" || $0 == "crypto/x509" }).sorted().first {
                signals.append("the Go code imports \(tls)")
            } else if context.files.contains(where: { $0.key.hasSuffix(".go") && $0.value.containsBytes("\"https://") }) {
                signals.append("the Go code fetches an https:// address")
            }
        }
        if let (name, _) = final.environment.sorted(by: { $0.key < $1.key }).first(where: { $0.value.containsBytes("https://") }) {
            signals.append("ENV \(name) holds an https:// address")
        }
        guard let signal = signals.first else { return }
        findings.append(finding(final.from, """
            \(signal), but \(build.describeBase(of: final)) has no CA certificates: TLS connections will fail \
            ("certificate signed by unknown authority"). Copy /etc/ssl/certs/ca-certificates.crt from a stage that \
            has the ca-certificates package.
            """))
    }
}
