/// `404.html`, which web servers show for a missing page. It may be served at any depth,
/// so its links are absolute when `base_url` is known, and relative to the root otherwise.
enum NotFoundPage {
    static func render(_ context: SiteContext) throws -> [SiteFile] {
        var values = context.base(depth: 0)
        if let baseURL = context.configuration.baseURL { values["root"] = baseURL }
        values["articles"] = context.articles.prefix(10).map { ["title": $0.title, "href": $0.pagePath] }
        return [try context.page("not-found", values, at: "404.html")]
    }
}
