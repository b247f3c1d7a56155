using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SpecSynth.Projects;

/// <summary>
/// The known secret shapes, applied in order by <see cref="SecretRedactor"/>. A shape starts only where a token
/// cannot have started earlier (a negative lookbehind on the token's own characters) and its trailing run is
/// unbounded and greedy with nothing after it, so a long token is redacted whole and nothing backtracks; inner
/// runs are bounded and followed by a character outside their class.
/// </summary>
internal static partial class SecretPatterns
{
    public static IReadOnlyList<TokenRule> All { get; } =
    [
        new("openai-anthropic", OpenAiKey, ["sk-"]),
        new("stripe", StripeKey, ["k_live_", "k_test_", "whsec_"]),
        new("aws-access-key-id", AwsAccessKeyId, ["AKIA", "ASIA"]),
        new("aws-secret-access-key", AwsSecretAccessKey, ["aws_secret", "awssecret"]),
        new("github", GitHubToken, ["ghp_", "gho_", "ghs_", "ghu_", "ghr_", "github_pat_"]),
        new("slack", SlackToken, ["xox"]),
        new("google-api-key", GoogleApiKey, ["AIza"]),
        new("jwt", Jwt, ["eyJ"]),
        new("bearer", BearerToken, ["earer"], v => v.AsSpan().ContainsAnyInRange('0', '9')),
        new("url-password", UrlPassword, ["://"]),
        new("url-query-key", UrlQueryKey, ["key=", "token=", "secret=", "password=", "sig=", "signature="]),
        new("connection-string-password", ConnectionStringPassword, ["pwd", "password"]),
        new("xml-element", XmlSecretElement, ["password>", "passwd>", "pwd>", "secret>", "token>", "key>"], Fits: SameElementName),
        new("xml-app-setting", XmlSecretAppSetting, ["key=\""]),
    ];

    /// <summary>The search of every rule's anchors (every text starts with it): a field, not a dictionary lookup per text.</summary>
    private static readonly SearchValues<string> AllAnchors = Anchors((1 << All.Count) - 1);

    /// <summary>For each lower-cased ASCII first character, the rules with an anchor starting with it.</summary>
    private static readonly int[][] RulesByFirstChar = FirstChars();

    /// <summary>A search for the anchors of the rules not yet triggered, by bit mask of those rules; there are
    /// few distinct masks in practice, so each search is built once.</summary>
    private static readonly ConcurrentDictionary<int, SearchValues<string>> AnchorSearches = new();

    /// <summary>
    /// The rules whose anchors occur in <paramref name="text"/> (ignoring case), in one vectorised pass. Once a
    /// rule is triggered its anchors leave the search, so a text dense with one anchor costs no more than one scan.
    /// </summary>
    public static IEnumerable<TokenRule> TriggeredBy(string text)
    {
        Debug.Assert(All.Count < 31, "Rules are tracked as bits of an int.");
        var remaining = (1 << All.Count) - 1;
        var search = AllAnchors;
        var position = 0;
        while (remaining != 0 && position < text.Length)
        {
            var hit = text.AsSpan(position).IndexOfAny(search);
            if (hit < 0)
            {
                break;
            }
            position += hit;
            var before = remaining;
            foreach (var rule in RulesByFirstChar[char.ToLowerInvariant(text[position]) & 0x7F])
            {
                if ((remaining & (1 << rule)) != 0 && All[rule].AnchoredAt(text.AsSpan(position)))
                {
                    remaining &= ~(1 << rule);
                }
            }
            search = remaining == before || remaining == 0 ? search : AnchorSearch(remaining);
            position++;
        }
        // Most texts (every prompt without a secret) trigger no rule: no LINQ iterator, closure or enumerator for them.
        return remaining == (1 << All.Count) - 1 ? [] : All.Where((_, i) => (remaining & (1 << i)) == 0);
    }

    private static SearchValues<string> AnchorSearch(int rules) => AnchorSearches.GetOrAdd(rules, Anchors);

    /// <summary>The anchors of the rules in <paramref name="mask"/>, each once (ignoring case), for one search. Loops, not LINQ:
    /// this runs in the process's first redaction, where LINQ's iterators over these types were compiled by the JIT.</summary>
    private static SearchValues<string> Anchors(int mask)
    {
        var anchors = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var r = 0; r < All.Count; r++)
        {
            if ((mask & (1 << r)) == 0)
            {
                continue;
            }
            foreach (var anchor in All[r].Anchors)
            {
                if (seen.Add(anchor))
                {
                    anchors.Add(anchor);
                }
            }
        }
        return SearchValues.Create([.. anchors], StringComparison.OrdinalIgnoreCase);
    }

    private static int[][] FirstChars()
    {
        var table = new int[128][];
        var rules = new List<int>();
        for (var c = 0; c < table.Length; c++)
        {
            rules.Clear();
            for (var r = 0; r < All.Count; r++)
            {
                foreach (var anchor in All[r].Anchors)
                {
                    if (char.ToLowerInvariant(anchor[0]) == c)
                    {
                        rules.Add(r);
                        break;
                    }
                }
            }
            table[c] = [.. rules];
        }
        return table;
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9_-])sk-(?:ant-|proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}", RegexOptions.CultureInvariant)]
    private static partial Regex OpenAiKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}|whsec_[A-Za-z0-9]{20,})", RegexOptions.CultureInvariant)]
    private static partial Regex StripeKey();

    [GeneratedRegex(@"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex AwsAccessKeyId();

    [GeneratedRegex(@"aws_?secret_?access_?key[""']?[ \t]{0,8}[:=][ \t]{0,8}[""']?(?<v>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex AwsSecretAccessKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})", RegexOptions.CultureInvariant)]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"(?<![A-Za-z0-9])xox[abprse]-[A-Za-z0-9-]{10,}", RegexOptions.CultureInvariant)]
    private static partial Regex SlackToken();

    [GeneratedRegex(@"(?<![A-Za-z0-9_-])AIza[A-Za-z0-9_-]{35}", RegexOptions.CultureInvariant)]
    private static partial Regex GoogleApiKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,4096}\.eyJ[A-Za-z0-9_-]{5,8192}\.[A-Za-z0-9_-]*", RegexOptions.CultureInvariant)]
    private static partial Regex Jwt();

    [GeneratedRegex(@"\b[Bb]earer[ \t]{1,4}(?<v>[A-Za-z0-9._~+/-]{16,}=*)", RegexOptions.CultureInvariant)]
    private static partial Regex BearerToken();

    [GeneratedRegex(@"://[^:@/\s""'<>]{0,256}:(?<v>[^@/\s""'<>]{1,256})@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"[?&](?:[A-Za-z0-9_-]{0,20}(?:key|token)|secret|client_secret|password|sig|signature)=(?<v>[^&\s#""'<>]{1,1024})", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex UrlQueryKey();

    [GeneratedRegex(@"(?:password|pwd)(?<=[;""'`][ \t]{0,8}(?:password|pwd))[ \t]{0,8}=(?!=)[ \t]{0,8}(?<v>[^;""'`\r\n]+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ConnectionStringPassword();

    private const string SecretWord = "(?:password|passwd|pwd|secret|token|api_?key|access_?key|private_?key|passphrase)";

    /// <summary>An element named for a secret: its closing name <c>c</c> is checked against its opening name <c>k</c> by
    /// <see cref="SameElementName"/>, not by a backreference: a case-insensitive backreference (<c>&lt;/\k&lt;k&gt;&gt;</c>)
    /// is one the regex generator does not generate, so the shape was parsed at run time in every process that met it. At a
    /// given start both names and the value are fixed (each ends at the first character outside its class), so a match
    /// rejected here is exactly a start where the backreference failed, and no other match can start inside it.</summary>
    [GeneratedRegex(@"<(?<k>[A-Za-z0-9_.:-]{0,60}" + SecretWord + @")>(?<v>[^<\r\n]{1,1024})</(?<c>[A-Za-z0-9_.:-]{1,80})>", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex XmlSecretElement();

    /// <summary>Whether an <see cref="XmlSecretElement"/> match closes the element it opened, ignoring case as the
    /// backreference did (character by character, invariant lower case: the Kelvin sign is a <c>k</c>).</summary>
    private static bool SameElementName(Match match)
    {
        var opening = match.Groups["k"].ValueSpan;
        var closing = match.Groups["c"].ValueSpan;
        if (opening.Length != closing.Length)
        {
            return false;
        }
        for (var i = 0; i < opening.Length; i++)
        {
            if (opening[i] != closing[i] && char.ToLowerInvariant(opening[i]) != char.ToLowerInvariant(closing[i]))
            {
                return false;
            }
        }
        return true;
    }

    [GeneratedRegex(@"\bkey=""[^""\r\n]{0,80}" + SecretWord + @"""[ \t]{1,8}value=""(?<v>[^""\r\n]{1,1024})""", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex XmlSecretAppSetting();
}
