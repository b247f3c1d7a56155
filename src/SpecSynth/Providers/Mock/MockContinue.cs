using System.Text;
using System.Text.RegularExpressions;

namespace SpecSynth.Providers.Mock;

/// <summary>The mock's answers for conversation history: a <c>--continue</c> request gets the usual project plus a
/// <c>CHANGES.md</c> listing every instruction of the conversation (so the project visibly changes, deterministically);
/// a compaction request gets a summary listing the instructions and the files of the transcript.</summary>
internal static partial class MockContinue
{
    /// <summary>Whether <paramref name="userText"/> is a compaction request (the <c>compact</c> template).</summary>
    public static bool IsCompaction(string userText) =>
        userText.Contains("<conversation>", StringComparison.Ordinal) && userText.Contains("Summarise", StringComparison.Ordinal)
        && !userText.Contains("<specification", StringComparison.Ordinal);

    /// <summary>A summary: the instructions in order and the files named in the transcript.</summary>
    public static string Summary(string userText)
    {
        var files = FileRegex().Matches(userText).Select(m => m.Groups[1].Value.Trim()).Distinct(StringComparer.Ordinal).ToList();
        var sb = new StringBuilder("The earlier turns generated the project for the specification");
        sb.Append(files.Count == 0 ? "." : " and wrote " + string.Join(", ", files) + ".").Append('\n');
        foreach (var instruction in Instructions(userText))
        {
            sb.Append("Instruction: ").Append(instruction).Append('\n');
        }
        return sb.ToString().TrimEnd();
    }

    /// <summary><paramref name="reply"/> with a <c>CHANGES.md</c> block when <paramref name="userText"/> continues a
    /// conversation; otherwise <paramref name="reply"/> as it is.</summary>
    public static string Amend(string reply, string userText)
    {
        // A continuation's request ends with the instruction block; project files that merely mention the tag do not.
        var trimmed = userText.TrimEnd();
        var start = trimmed.LastIndexOf("<instruction>", StringComparison.Ordinal);
        var end = trimmed.Length - "</instruction>".Length;
        if (start < 0 || !trimmed.EndsWith("</instruction>", StringComparison.Ordinal) || end < start)
        {
            return reply;
        }
        var current = trimmed[(start + "<instruction>".Length)..end].Trim();
        var all = Instructions(userText[..start]).Append(current).ToList();
        var sb = new StringBuilder(reply.TrimEnd()).Append("\n\n**CHANGES.md**\n```markdown\n# Changes\n\n");
        sb.Append("Changes asked for with `specsynth generate --continue`, in order:\n\n");
        for (var i = 0; i < all.Count; i++)
        {
            sb.Append(i + 1).Append(". ").Append(all[i].Replace("`", "'", StringComparison.Ordinal)).Append('\n');
        }
        return sb.Append("```\n").ToString();
    }

    /// <summary>The earlier instructions (each once, in order) as the stored turns and summaries name them.</summary>
    private static IEnumerable<string> Instructions(string text) =>
        InstructionRegex().Matches(text).Select(m => m.Groups[1].Value.Trim()).Distinct(StringComparer.Ordinal);

    [GeneratedRegex("^Instruction: (.+)$", RegexOptions.Multiline)]
    private static partial Regex InstructionRegex();

    [GeneratedRegex(@"(?:filepath: |^\*\*)([\w./-]+\.\w+)(?:\*\*)?\s*$", RegexOptions.Multiline)]
    private static partial Regex FileRegex();
}
