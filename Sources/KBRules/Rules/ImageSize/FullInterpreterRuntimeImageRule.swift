import KBDockerfile

struct FullInterpreterRuntimeImageRule: Rule {
    static let description = RuleDescription(
        id: "KB203", name: "full-interpreter-runtime-image", severity: .info, category: .imageSize,
        summary: "The final image is the default (full) variant of a Python, Node or Ruby image.",
        rationale: """
            The default tags of the official `python`, `node` and `ruby` images are built on a full Debian \
            with compilers and many development libraries, so that any package installs. The `slim` tags \
            are the same Debian and glibc with the non-essential packages removed, and the `alpine` tags \
            use musl. In "The Quest for Minimal Docker Images" (part 2, 2020) the three sizes were 932, 193 \
            and 110 MB for python, 939, 163 and 113 MB for node, and 842, 149 and 54 MB for ruby. Which of \
            slim and alpine is better depends on the dependencies (packages with compiled code are easier \
            on slim), so try both; the full variant belongs in a build stage, if anywhere. The same holds \
            for an interpreter installed from packages on `debian:bookworm` instead of \
            `debian:bookworm-slim`, which leaves out documentation and other files a container does not need.
            """,
        article: "interpreted-languages.md#default-slim-and-alpine-variants",
        examples: [
            .triggering("""
                ↓FROM node:20
                COPY . /app
                CMD ["node", "/app/server.js"]
                """),
            .triggering("""
                ↓FROM debian:bookworm
                RUN apt-get update && apt-get install -y --no-install-recommends python3 && rm -rf /var/lib/apt/lists/*
                COPY app.py /app/
                CMD ["python3", "/app/app.py"]
                """, note: "An interpreter from packages on the full Debian image."),
            .passing("""
                FROM node:20-slim
                COPY . /app
                CMD ["node", "/app/server.js"]
                """),
            .passing("""
                FROM python:3.12 AS build
                RUN pip wheel --wheel-dir /wheels numpy
                FROM python:3.12-slim
                COPY --from=build /wheels /wheels
                RUN pip install --no-cache-dir --no-index --find-links=/wheels numpy && rm -rf /wheels
                """, note: "The full image as a build stage is fine."),
        ])

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        guard let final = build.finalStage, let root = build.lineage(of: final).last, let image = build.rootImage(of: final) else { return }
        let imageRange = root.from.sourceRange(ofWord: root.from.fromParts.image) ?? root.from.range
        if let interpreter = root.baseTraits?.interpreter, ["python", "node", "ruby"].contains(interpreter),
           root.baseTraits?.interpreterVariant == "full" {
            // `3.12-bookworm` → `3.12-slim`: the version part works with every variant.
            let versionPart = image.tag.map { String($0.prefix { $0 != "-" }) } ?? "latest"
            let version = versionPart == "latest" ? "" : versionPart + "-"
            findings.append(finding(at: imageRange, """
                \(image) is the full variant of the \(interpreter) image, with compilers and development libraries the \
                program does not need at run time: use \(image.name):\(version)slim, or \(image.name):\(version)alpine \
                if every dependency installs on musl
                """))
        } else if image.name == "debian", !image.tagText.containsBytes("slim"),
                  let package = final.installedPackages.sorted().first(where: { PackageKinds.interpreter(of: $0) != nil }) {
            let slim = image.tag.map { "debian:\($0)-slim" } ?? "debian:stable-slim"
            findings.append(finding(at: imageRange, """
                \(package) runs on \(image), the full Debian image: \(slim) has the same packages and C library \
                without the documentation, manual pages and locales a container does not use
                """))
        }
    }
}
