import KBDockerfile

struct PythonAlpineNativePackagesRule: Rule {
    static let description = RuleDescription(
        id: "KB208", name: "python-alpine-native-packages", severity: .warning, category: .imageSize,
        summary: "numpy, pandas, scipy or matplotlib installed with pip on a python Alpine image.",
        rationale: """
            Python packages with compiled code are distributed as wheels built against one C library. In \
            2020 the wheels of numpy, pandas, scipy and matplotlib existed for glibc (`manylinux`) only, \
            so on `python:alpine` pip compiled them from source: the image needed compilers, headers and \
            BLAS libraries, the build took far longer, and the result was bigger than on slim. "The Quest \
            for Minimal Docker Images" (part 2) measured matplotlib, numpy and pandas at 407 MB on \
            `python:slim`, 523 MB on `python:alpine` and 517 MB on Alpine with two stages. PEP 656 (2021) \
            added `musllinux` wheels and recent releases of these packages publish them, so check the \
            versions you pin: if they have musllinux wheels for your architecture, pip installs them \
            without compiling and this finding can be silenced; otherwise `python:slim` is the simpler \
            base. kb knows the four packages the series measured, plus a few other common ones with \
            large compiled parts (scikit-learn, pyarrow, grpcio, lxml), and reads `-r` requirements files \
            from the build context.
            """,
        article: "interpreted-languages.md#native-packages-and-wheels",
        examples: [
            .triggering("""
                FROM python:3.12-alpine
                RUN apk add --no-cache build-base gfortran openblas-dev
                ↓RUN pip install --no-cache-dir numpy pandas scipy
                COPY job.py .
                CMD ["python", "job.py"]
                """),
            .triggering("""
                FROM python:3.12-alpine
                COPY requirements.txt .
                ↓RUN pip install --no-cache-dir -r requirements.txt
                """, context: ["requirements.txt": "flask==3.0.3\npandas==2.2.2  # reports\n"],
                note: "Packages named in a requirements file from the build context."),
            .passing("""
                FROM python:3.12-slim
                RUN pip install --no-cache-dir numpy pandas scipy
                COPY job.py .
                CMD ["python", "job.py"]
                """),
            .passing("""
                FROM python:3.12-alpine
                RUN pip install --no-cache-dir flask gunicorn
                """, note: "Pure-Python packages install the same way on musl."),
        ])

    /// Distribution names (lower case, `_` as `-`) of packages with large compiled parts.
    static let nativePackages: Set<String> = [
        "numpy", "pandas", "scipy", "matplotlib", "scikit-learn", "sklearn", "pyarrow", "grpcio", "lxml",
    ]

    func check(_ build: BuildModel, _ findings: inout [Finding]) {
        for stage in build.stages where stage.traits?.interpreter == "python" && stage.traits?.interpreterVariant == "alpine" {
            for run in stage.instructions where run.kind == .run {
                let commands = build.commands(of: run)
                for (index, command) in commands.enumerated() {
                    guard let arguments = command.pipInstallArguments else { continue }
                    let native = nativeRequirements(arguments, context: build.context)
                    guard !native.isEmpty else { continue }
                    let range = native.first.flatMap { run.sourceRange(ofWord: $0) } ?? run.sourceRange(ofCommandAt: index, in: commands)
                    findings.append(finding(at: range, """
                        \(native.joined(separator: ", ")) \(native.count == 1 ? "has" : "have") compiled code; on \
                        \(build.rootImage(of: stage)?.description ?? "python:alpine") pip compiles \(native.count == 1 ? "it" : "them") \
                        from source unless the pinned versions publish musllinux wheels: use the slim variant of the image, or \
                        check for musllinux wheels and silence this finding
                        """))
                }
            }
        }
    }

    /// Native packages among pip's arguments and the requirements files they name.
    private func nativeRequirements(_ arguments: ArraySlice<String>, context: BuildContextFiles?) -> [String] {
        var requirements: [String] = []
        var words = arguments[...]
        while let word = words.first {
            words = words.dropFirst()
            if word == "-r" || word == "--requirement", let file = words.first {
                words = words.dropFirst()
                requirements += requirementsFile(file, context: context)
            } else if word.hasPrefix("--requirement=") {
                requirements += requirementsFile(String(word.dropFirst("--requirement=".count)), context: context)
            } else if ["-c", "--constraint", "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "-t", "--target"].contains(word) {
                words = words.dropFirst()
            } else if !word.hasPrefix("-") {
                requirements.append(word)
            }
        }
        var found: [String] = []
        for requirement in requirements {
            let name = PythonAlpineNativePackagesRule.distributionName(requirement)
            if PythonAlpineNativePackagesRule.nativePackages.contains(name.lowercased().replacing("_", with: "-")), !found.contains(name) {
                found.append(name)
            }
        }
        return found
    }

    /// `pandas[performance]>=2.2 ; python_version>"3.8"` → `pandas`.
    static func distributionName(_ requirement: String) -> String {
        String(requirement.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." })
    }

    /// The requirement lines of a file in the build context, found by its path or its name.
    private func requirementsFile(_ path: String, context: BuildContextFiles?) -> [String] {
        guard let files = context?.files else { return [] }
        let trimmed = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        let name = PathMath.basename(trimmed)
        guard let text = files[trimmed] ?? files.first(where: { PathMath.basename($0.key) == name })?.value else { return [] }
        return text.split(whereSeparator: \.isNewline).compactMap { line in
            let content = String(line.prefix { $0 != "#" }).trimmingCharacters(in: " \t")
            return content.isEmpty || content.hasPrefix("-") ? nil : content
        }
    }
}
