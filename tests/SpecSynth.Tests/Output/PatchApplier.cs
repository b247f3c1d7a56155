using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SpecSynth.Tests.Output;

/// <summary>Applies a single-file unified diff, strictly (every context and removed line must match).</summary>
internal static partial class PatchApplier
{
    public static string Apply(string oldText, string diff)
    {
        if (diff.Length == 0)
        {
            return oldText;
        }
        var old = Split(oldText);
        var result = new List<(string Text, bool Newline)>();
        var lines = diff.Split('\n')[..^1];
        Assert.StartsWith("--- ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("+++ ", lines[1], StringComparison.Ordinal);
        var next = 0;
        for (var i = 2; i < lines.Length; i++)
        {
            var header = HunkHeader().Match(lines[i]);
            Assert.True(header.Success, $"not a hunk header: {lines[i]}");
            var oldStart = int.Parse(header.Groups[1].Value, CultureInfo.InvariantCulture);
            var oldCount = header.Groups[2].Success ? int.Parse(header.Groups[2].Value, CultureInfo.InvariantCulture) : 1;
            var copyUntil = oldCount == 0 ? oldStart : oldStart - 1;
            Assert.True(copyUntil >= next, "hunks out of order");
            result.AddRange(old.Skip(next).Take(copyUntil - next));
            next = copyUntil;
            for (; i + 1 < lines.Length && !lines[i + 1].StartsWith("@@", StringComparison.Ordinal); i++)
            {
                var line = lines[i + 1];
                var text = line[1..];
                switch (line[0])
                {
                    case ' ': Assert.Equal(old[next].Text, text); result.Add(old[next++]); break;
                    case '-': Assert.Equal(old[next++].Text, text); break;
                    case '+': result.Add((text, true)); break;
                    case '\\': MarkNoNewline(line, lines[i], result, old, next); break;
                    default: Assert.Fail($"bad diff line: {line}"); break;
                }
            }
        }
        result.AddRange(old.Skip(next));
        return string.Concat(result.Select(l => l.Text + (l.Newline ? "\n" : "")));
    }

    /// <summary>Applies the diff with GNU <c>patch -p1</c> in <paramref name="dir"/> and returns the patched file.</summary>
    public static string ApplyWithGnuPatch(string dir, string relative, string oldText, string diff)
    {
        var target = Path.Combine(dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllText(target, oldText);
        File.WriteAllText(Path.Combine(dir, "change.patch"), diff);
        var start = new ProcessStartInfo("patch", ["-p1", "--forward", "--batch", "--no-backup-if-mismatch", "-i", "change.patch"])
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"patch failed: {output}\n{diff}");
        }
        catch (Win32Exception)
        {
            // GNU patch is not installed here: fall back to the strict applier above.
            return Apply(oldText, diff);
        }
        return File.ReadAllText(target);
    }

    private static void MarkNoNewline(string marker, string previous, List<(string Text, bool Newline)> result, List<(string Text, bool Newline)> old, int next)
    {
        Assert.Equal("\\ No newline at end of file", marker);
        if (previous[0] is '+' or ' ')
        {
            result[^1] = (result[^1].Text, false);
        }
        if (previous[0] is '-' or ' ')
        {
            Assert.Equal(old.Count, next);
            Assert.False(old[^1].Newline);
        }
    }

    private static List<(string Text, bool Newline)> Split(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }
        var newline = text.EndsWith('\n');
        var parts = (newline ? text[..^1] : text).Split('\n');
        return [.. parts.Select((p, i) => (p, i < parts.Length - 1 || newline))];
    }

    [GeneratedRegex(@"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$")]
    private static partial Regex HunkHeader();
}
