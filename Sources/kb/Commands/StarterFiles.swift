/// The files `kb init` writes, compiled into the binary. The sample article includes the
/// sample example's Dockerfile (so kb checks that they agree), shows a counterexample, and
/// puts the example's size in a table; the example's results.json is a cited figure so the
/// new knowledge base builds before anything was recorded.
enum StarterFiles {
    struct File {
        let path: String
        let contents: String
    }

    static let exampleSlug = "hello-static-c"

    static let all: [File] = [
        File(path: "kb.yaml", contents: kbYAML),
        File(path: ".gitignore", contents: gitignore),
        File(path: "Content/first-minimal-image.md", contents: article),
        File(path: "Examples/\(exampleSlug)/Dockerfile", contents: dockerfile),
        File(path: "Examples/\(exampleSlug)/hello.c", contents: helloC),
        File(path: "Examples/\(exampleSlug)/example.yaml", contents: exampleYAML),
        File(path: "Examples/\(exampleSlug)/results.json", contents: resultsJSON),
        File(path: ".github/workflows/kb.yml", contents: workflow),
    ]

    static let kbYAML = """
        # Settings of this knowledge base, read by kb build, kb check and kb serve.
        title: My minimal images
        description: Notes on building small container images, with examples that really build.
        # base_url: https://example.org/notes/   # enables sitemap.xml and atom.xml
        fail_on: warning          # kb check and kb build fail on warnings too
        # rules:                  # a rule ID or name -> error, warning, info, style or off
        #   KB309: off

        """

    static let gitignore = """
        # Written by kb build and kb serve (the site, and its build cache).
        /Site/
        /.Site.kb-cache/
        # kb's sources, checked out by .github/workflows/kb.yml.
        /.kb-tool/

        """

    static let article = """
        ---
        title: Your first minimal image
        summary: Compile in one stage, ship only the program in an empty image, and let kb measure it.
        tags: [c, scratch, static]
        order: 1
        ---

        A container image needs the program and whatever the program loads when it starts.
        Everything else (a compiler, a package manager, a shell) is weight that every pull and
        every scan pays for. This article is a starting point: change it, or delete it once you
        have written your own.

        ## Build in one stage, run in another

        The first stage installs a compiler and builds the program; the second starts from
        `scratch`, an empty image, and receives only the binary. Because the binary is linked
        statically against musl, it needs no C library at run time, so the empty image is enough.

        ```dockerfile example=\(exampleSlug) title="Examples/\(exampleSlug)/Dockerfile"
        ```

        The block above is empty in this article's source: kb fills it in from
        `Examples/\(exampleSlug)/Dockerfile`, and checks it with its rules on every build.

        ## What goes wrong without static linking

        The same program linked dynamically (gcc's default) looks for glibc's loader when it
        starts, and an empty image has none. kb knows, and this block is marked as a
        counterexample: the build fails if the rule stops firing, or if another one fires.

        ```dockerfile expect=KB101
        FROM debian:bookworm AS build
        RUN apt-get update \\
         && apt-get install -y --no-install-recommends gcc libc6-dev \\
         && rm -rf /var/lib/apt/lists/*
        WORKDIR /src
        COPY hello.c .
        RUN gcc -Os -s -o /src/hello hello.c

        FROM scratch
        COPY --from=build /src/hello /hello
        USER 65534:65534
        ENTRYPOINT ["/hello"]
        ```

        ## How small is it

        Sizes are never typed by hand: this table is computed from the example's `results.json`.

        ```kb-sizes
        caption: A static C program in an empty image
        examples: [\(exampleSlug)]
        ```

        The image weighs `kb:size \(exampleSlug)`. Until you run `kb record \(exampleSlug)`,
        that figure is cited from a comparable build published elsewhere (see the footnote);
        afterwards it is your own engine's measurement.

        """

    static let dockerfile = """
        # A C program linked statically against musl (Debian's musl-tools), then copied alone
        # into an empty image: no shell, no C library, nothing but the program.
        FROM debian:bookworm AS build
        RUN apt-get update \\
         && apt-get install -y --no-install-recommends gcc libc6-dev musl-tools \\
         && rm -rf /var/lib/apt/lists/*
        WORKDIR /src
        COPY hello.c .
        RUN musl-gcc -Os -static -s -o /src/hello hello.c

        FROM scratch
        COPY --from=build /src/hello /hello
        USER 65534:65534
        ENTRYPOINT ["/hello"]

        """

    static let helloC = """
        /* Prints one line: enough to show that the program starts in an empty image. */
        #include <stdio.h>

        int main(void)
        {
            puts("Hello from a minimal image!");
            return 0;
        }

        """

    static let exampleYAML = """
        title: Static C program in an empty image
        summary: musl-gcc builds a static binary in a Debian stage; the image holds that binary and nothing else.
        tags: [c, scratch, static, musl]
        run:
          stdout: "Hello from a minimal image!\\n"

        """

    /// A cited record: kb build accepts it without an engine; kb record replaces it.
    static let resultsJSON = """
        {
          "cited": {
            "note": "Placeholder written by kb init: the size of a comparable image (a static musl hello world in scratch, built on Alpine), cited so that this knowledge base builds before anything was recorded. Replace it with a real measurement of this example: kb record \(exampleSlug)",
            "size_bytes": 94000,
            "source": {
              "date": "2020-02-01",
              "title": "The Quest for Minimal Docker Images, part 1 (Jérôme Petazzoni)",
              "url": "http://jpetazzo.github.io/2020/02/01/quest-minimal-docker-images-part-1/"
            }
          }
        }

        """

    static let workflow = """
        # Checks the knowledge base on every push and pull request, and publishes the site as an
        # artifact. kb is built from its sources: set the repository variable KB_REPOSITORY
        # (Settings > Secrets and variables > Actions > Variables) to the owner/name of the kb
        # repository you use, and KB_REF to a tag or branch of it (default: main).
        name: kb

        on:
          push:
          pull_request:
          workflow_dispatch:

        permissions:
          contents: read

        jobs:
          site:
            runs-on: ubuntu-latest
            container: swift:6.3-bookworm
            steps:
              - uses: actions/checkout@v4
              - uses: actions/checkout@v4
                with:
                  repository: ${{ vars.KB_REPOSITORY }}
                  ref: ${{ vars.KB_REF || 'main' }}
                  path: .kb-tool
              - name: Build kb
                run: |
                  apt-get update -qq
                  apt-get install -y -qq --no-install-recommends libcmark-dev pkg-config
                  swift build -c release --product kb --package-path .kb-tool
                  echo "$PWD/.kb-tool/.build/release" >> "$GITHUB_PATH"
              - name: Check (annotations on the pull request)
                run: kb check --format github
              - name: Build the site
                run: kb build
              - uses: actions/upload-artifact@v4
                with:
                  name: site
                  path: Site/

        """
}
