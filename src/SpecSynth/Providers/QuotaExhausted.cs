using System.Text.RegularExpressions;

namespace SpecSynth.Providers;

/// <summary>
/// Recognises an error body that says the account is out of quota, credit or spend allowance, whatever the status it
/// came with: OpenAI 429 <c>insufficient_quota</c> ("You exceeded your current quota"), Anthropic 400 "Your credit
/// balance is too low to access the Anthropic API", Anthropic 429 <c>enforced_spend_limit_reached</c>.
/// </summary>
internal static partial class QuotaExhausted
{
    private static readonly HashSet<string> Codes = new(StringComparer.OrdinalIgnoreCase)
    {
        "insufficient_quota", "enforced_spend_limit_reached", "billing_hard_limit_reached", "credit_balance_exhausted",
        "organization_spend_limit_exceeded", "project_spend_limit_exceeded",
    };

    /// <summary>Whether <paramref name="body"/> (its codes) or its <paramref name="message"/> reports an exhausted quota.</summary>
    public static bool Matches(string? body, string? message) =>
        ProviderErrorBody.AllCodes(body).Any(Codes.Contains) || (message is not null && Wording().IsMatch(message));

    [GeneratedRegex(@"credit balance is too low|exceeded your current quota|insufficient[ _]quota|spend(ing)? limit (has been )?reached", RegexOptions.IgnoreCase)]
    private static partial Regex Wording();
}
