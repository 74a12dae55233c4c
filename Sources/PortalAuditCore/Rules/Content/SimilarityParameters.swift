/// The parameter of the rules that compare two versions of a page (cloaking, defacement).
struct SimilarityParameters: RuleParameterSet {
    /// Below this share of text in common (percent), the two are different pages.
    var minSimilarity: Int

    enum CodingKeys: String, CodingKey {
        case minSimilarity = "min_similarity"
    }
}
