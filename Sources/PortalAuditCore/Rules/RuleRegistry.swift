/// Every built-in rule, sorted by id.
public enum RuleRegistry {
    /// The catalogue.
    public static let all: [any Rule.Type] = [
        ReachableRule.self,
        ResponseTimeRule.self,
        UptimeRule.self,
        FreshnessRule.self,
        MandatoryInfoRule.self,
        MixedContentRule.self,
        MixedPassiveContentRule.self,
        SpamInjectionRule.self,
        CloakingRule.self,
        SearchReflectionRule.self,
        SearchHijackRule.self,
        VerificationTokensRule.self,
        DefacementRule.self,
        OutdatedSoftwareRule.self,
        VCSExposureRule.self,
        SensitiveFilesRule.self,
        DirectoryListingRule.self,
        IPv6AvailableRule.self,
        IDNumbersPublishedRule.self,
        PhoneListsPublishedRule.self,
        RedactionLeaksRule.self,
        FormWithoutNoticeRule.self,
        TrackersBeforeConsentRule.self,
        ExpirySoonRule.self,
        HostnameMatchRule.self,
        KeyStrengthRule.self,
        NotExpiredRule.self,
        NotRevokedRule.self,
        TrustedChainRule.self,
        CookieFlagsRule.self,
        OtherCookieFlagsRule.self,
        CSPRule.self,
        HSTSRule.self,
        PermissionsPolicyRule.self,
        ReferrerPolicyRule.self,
        VersionLeakRule.self,
        ContentTypeOptionsRule.self,
        FrameOptionsRule.self,
        RedirectToHTTPSRule.self,
        ForwardSecrecyRule.self,
        HTTPSAvailableRule.self,
        MinimumVersionRule.self,
        WeakCiphersRule.self,
        BrokenCiphersRule.self,
        TLS13OfferedRule.self,
    ].sorted { $0.descriptor.id < $1.descriptor.id }

    /// Ids retired or renamed: never reused for another meaning.
    public static let deprecatedIDs: [String: String] = [:]

    private static let byID: [String: any Rule.Type] = Dictionary(
        uniqueKeysWithValues: all.map { ($0.descriptor.id, $0) })

    /// The rule with id `id`.
    public static func rule(_ id: String) -> (any Rule.Type)? { byID[id] }
}

extension Finding {
    /// The finding in one sentence, with its values, in `language`: the rule's sentence for its code.
    public func sentence(_ language: Language) -> String {
        if resultCode == RuleOutcome.invalidParametersCode {
            return LocalizedText(
                en: "The profile's values for this criterion are invalid; it was not judged.",
                vi: "Giá trị của bộ tiêu chí cho tiêu chí này không hợp lệ nên chưa đánh giá được.")(language)
        }
        let text = RuleRegistry.rule(rule)?.sentence(code: resultCode, evidence: evidence)
        return text?(language) ?? title(language)
    }
}
