using System.Text.RegularExpressions;
using SpecSynth.Projects;

namespace SpecSynth.Tests.Projects;

/// <summary><see cref="TokenRule.Apply"/> walks the matches itself; its output and count must be those of the
/// <c>Regex.Replace</c> with an evaluator it replaced, for every rule, over secret shapes, placeholders, several matches in
/// one text, the real specs and this repository's own sources.</summary>
public sealed class TokenRuleTests
{
    // Built at run time so that secret scanners do not flag this file.
    private const string Body = "Q7wX2mZ9pL4kR8vN3bT6yH1cJ5dF0gS";

    private static readonly string[] Shapes =
    [
        "key: " + "sk-" + "ant-api03-" + Body + "-AbC_12",
        "a " + "sk-" + Body + " b " + "sk-" + "proj-" + Body + Body + "\nc " + "sk-" + "${OPENAI_KEY}xxxxxxxxxxxxxxxxxxxx",
        "id " + "AK" + "IA" + "IOSFODNN7EXAMPLE" + " x " + "AS" + "IA" + "IOSFODNN7EXAMPL2" + " " + "AK" + "IA" + "IOSFODNN7EXAMPLEX",
        "token " + "gh" + "p_" + Body + "abcde, " + "github" + "_pat_" + "11ABCDEFG0" + Body + "_" + Body,
        "xo" + "xb-" + "1234567890-" + Body + " and " + "xo" + "xp-" + "1234567890-" + Body,
        "AI" + "za" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",
        "sk" + "_live_" + Body + " " + "rk" + "_test_" + Body + " " + "wh" + "sec_" + Body,
        "eyJ" + "hbGciOiJIUzI1NiJ9" + "." + "eyJ" + "zdWIiOiIxMjM0In0" + "." + "dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk",
        "Authorization: Bearer " + Body + "\nAuthorization: Bearer abcdefghijklmnopqrstu\nBearer <your-token-goes-here>",
        "postgres://app:" + Body + "@db:5432/x https://u:changeme@host/ redis://:" + Body + "@cache:6379/0",
        "https://x.example/?api_key=" + Body + "&token=${TOKEN}&sig=" + Body + "#frag&password=" + Body,
        "Server=db;Password=" + Body + ";Encrypt=true; \"Pwd = " + Body + "\" 'password=<password>'",
        "<DbPassword>" + Body + "</DbPassword><api_key>" + Body + "</api_key><token>your-token</token>",
        "<add key=\"Stripe:ApiKey\" value=\"" + Body + "\" /><add key=\"db_password\" value=\"changeme\" />",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRf" + Body[..12] + "E aws_secret_access_key: '${AWS_SECRET}'",
    ];

    public static TheoryData<string> Texts()
    {
        var data = new TheoryData<string>();
        foreach (var shape in Shapes)
        {
            data.Add(shape);
        }
        data.Add(string.Join("\n", Shapes));
        foreach (var file in Directory.EnumerateFiles(TestPaths.RealSpecs, "*.md").Order(StringComparer.Ordinal))
        {
            data.Add(File.ReadAllText(file));
        }
        foreach (var file in Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "src", "SpecSynth", "Projects"), "*.cs")
                     .Order(StringComparer.Ordinal))
        {
            data.Add(File.ReadAllText(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void Apply_GivesTheTextAndCountOfRegexReplace(string text)
    {
        foreach (var rule in SecretPatterns.All)
        {
            var count = 0;
            var applied = rule.Apply(text, ref count);

            var expected = Replace(rule, text, out var expectedCount);
            Assert.Equal(expected, applied);
            Assert.Equal(expectedCount, count);
            if (expectedCount == 0)
            {
                Assert.Same(text, applied);
            }
        }
    }

    /// <summary>The XML element shape as it was, with its case-insensitive backreference (the regex interpreter runs it).</summary>
    private static readonly Regex BackreferenceXmlElement = new(
        @"<(?<k>[A-Za-z0-9_.:-]{0,60}(?:password|passwd|pwd|secret|token|api_?key|access_?key|private_?key|passphrase))>(?<v>[^<\r\n]{1,1024})</\k<k>>",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private static readonly string[] XmlElements =
    [
        "<password>" + Body + "</password>",
        "<Password>" + Body + "</PASSWORD> <DbPassword>" + Body + "</dbpassword>",
        "<password>" + Body + "</passwd> <a_token>" + Body + "</b_token> <api_key>" + Body + "</api_key>",
        "<api_\u212Aey>" + Body + "</API_KEY> <api_KEY>" + Body + "</api_\u212Aey> <tok\u212Aen>" + Body + "</token>",
        "<password>a<b>" + Body + "</password> <password>" + Body + "</password >",
        "<" + new string('x', 60) + "secret>" + Body + "</" + new string('x', 60) + "secret> <" + new string('x', 61) + "secret>" + Body
            + "</" + new string('x', 61) + "secret>",
        "<" + new string('y', 60) + "private_key>" + Body + "</" + new string('y', 60) + "PRIVATE_KEY>",
        "<token>" + Body + "</token><token>" + Body + "</token><secret>x</secrets><secret>" + Body + "</secret>",
        "<token>" + Body + "</token/> <token>" + Body + "\n</token> <token></token> <pwd>your-password</pwd> <pwd>" + Body + "</pwd>x",
        "<a:password>" + Body + "</a:password> <a:password>" + Body + "</b:password> <a.b-c_pwd>" + Body + "</A.B-C_PWD>",
        "<password>" + new string('z', 1024) + "</password> <password>" + new string('z', 1025) + "</password>",
        "<passphrase>" + Body + "</passphrase><<passphrase>" + Body + "</passphrase>>",
    ];

    public static TheoryData<string> XmlTexts()
    {
        var data = Texts();
        foreach (var text in XmlElements)
        {
            data.Add(text);
        }
        data.Add(string.Join(" ", XmlElements));
        return data;
    }

    [Theory]
    [MemberData(nameof(XmlTexts))]
    public void XmlElement_RedactsWhatTheBackreferenceShapeDid(string text)
    {
        var rule = SecretPatterns.All.Single(r => r.Name == "xml-element");
        var count = 0;

        var applied = rule.Apply(text, ref count);

        var expected = Replace(rule with { Pattern = () => BackreferenceXmlElement, Fits = null }, text, out var expectedCount);
        Assert.Equal(expected, applied);
        Assert.Equal(expectedCount, count);
    }

    [Fact]
    public void XmlElement_ClosedByAnotherName_IsNotRedacted_AndCaseOrTheKelvinSignDoNotMatter()
    {
        var rule = SecretPatterns.All.Single(r => r.Name == "xml-element");
        var count = 0;

        var applied = rule.Apply("<password>" + Body + "</passwd> <Api_Key>" + Body + "</api_\u212Aey>", ref count);

        Assert.Equal(1, count);
        Assert.Equal("<password>" + Body + "</passwd> <Api_Key>" + SecretRedactor.Marker + "</api_\u212Aey>", applied);
    }

    [Fact]
    public void Apply_AddsToTheCountGiven()
    {
        var count = 5;
        var rule = SecretPatterns.All.Single(r => r.Name == "openai-anthropic");

        var applied = rule.Apply(Shapes[1], ref count);

        Assert.Equal(7, count);
        Assert.Equal(2, applied.Split(SecretRedactor.Marker).Length - 1);
    }

    /// <summary>The implementation <see cref="TokenRule.Apply"/> had: <c>Regex.Replace</c> with an evaluator.</summary>
    private static string Replace(TokenRule rule, string text, out int count)
    {
        var matches = 0;
        var result = rule.Regex.Replace(text, m =>
        {
            if (rule.Fits is not null && !rule.Fits(m))
            {
                return m.Value;
            }
            var v = m.Groups["v"];
            var target = v.Success ? v : (Group)m;
            if ((rule.Accept is not null && !rule.Accept(target.Value)) || SecretValues.IsPlaceholder(target.ValueSpan))
            {
                return m.Value;
            }
            matches++;
            return string.Concat(
                m.ValueSpan[..(target.Index - m.Index)], SecretRedactor.Marker, m.ValueSpan[(target.Index - m.Index + target.Length)..]);
        });
        count = matches;
        return matches == 0 ? text : result;
    }
}
