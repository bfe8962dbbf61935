import KBDockerfile

struct ImageTagMissingOrLatestRule: Rule {
    static let description = RuleDescription(
        id: "KB302", name: "image-tag-missing-or-latest", severity: .warning, category: .practice,
        summary: "FROM an image without a tag, or with the tag latest.",
        rationale: """
            Without a tag, `FROM alpine` means `alpine:latest`, and `latest` is whatever the publisher \
            pushed last: the next build may get a new major version, another C library version or another \
            distribution release, without any change to the Dockerfile. Builds stop being repeatable, and a \
            rebuild months later may not even start. Name the version you tested (`alpine:3.20`, \
            `debian:bookworm-slim`), or pin a digest (`@sha256:…`), which kb accepts with or without a tag. \
            `scratch` and references to earlier stages have no tags and are not reported.
            """,
        equivalents: ["DL3006", "DL3007"],
        examples: [
            .triggering("""
                FROM ↓golang AS build
                RUN CGO_ENABLED=0 go build -o /out/api .
                FROM ↓alpine:latest
                COPY --from=build /out/api /api
                """),
            .triggering("""
                ARG BASE=debian
                ↓FROM ${BASE}
                """, note: "An ARG default without a tag is the same."),
            .passing("""
                FROM golang:1.22 AS build
                RUN CGO_ENABLED=0 go build -o /out/api .
                FROM build AS test
                RUN go test ./...
                FROM alpine@sha256:0a4eaa0eecf5f8c050e5bba433f58c052be7587ee8af3e8b3910ef9ab5fbe9f5
                COPY --from=build /out/api /api
                FROM scratch
                COPY --from=build /out/api /api
                """, note: "A stage, a digest and scratch."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        for stage in build.stages {
            guard case let .image(reference) = stage.base, reference.digest == nil else { continue }
            let tag = reference.tag?.lowercased()
            guard tag == nil || tag == "latest" else { continue }
            let written = stage.from.fromParts.image
            let range = stage.from.sourceRange(ofWord: written) ?? stage.from.range
            let via = written != stage.baseText ? " (from \(written))" : ""
            let problem = tag == nil ? "\(reference.name) has no tag\(via), so it means \(reference.name):latest" : "\(reference)\(via) uses the tag latest"
            findings.append(finding(at: range, """
                \(problem), which changes whenever a new version is published: name the version you tested \
                (\(reference.name):<version>) or pin a digest
                """))
        }
    }
}
