using System.Text;
using SpecSynth.Context;
using SpecSynth.Edits;

namespace SpecSynth.Prompting;

/// <summary>
/// The <c>{{edit_format}}</c> part of the generate prompt: which existing files (sent whole) the reply should change with
/// SEARCH/REPLACE blocks instead of re-typing them, and the format. Empty in <see cref="EditMode.Whole"/> mode and when
/// no file qualifies (new files and small files are always asked whole).
/// </summary>
internal static class EditInstructions
{
    /// <summary>The files of <paramref name="items"/> asked for as edits under <paramref name="policy"/>, by path.</summary>
    public static IReadOnlyList<string> Files(IReadOnlyList<ContextItem> items, EditPolicy policy) =>
        [.. items.Where(i => i.Kind == ContextItemKind.File && i.State == ContextItemState.Whole && i.Source is { } source && i.Path is not null
                && policy.AsksEdits(LineCount(source)))
            .Select(i => i.Path!).Order(StringComparer.Ordinal)];

    /// <summary>The instructions for <paramref name="files"/>; empty when there are none.</summary>
    public static string For(IReadOnlyList<string> files)
    {
        if (files.Count == 0)
        {
            return "";
        }
        var example = files[0];
        var language = Parsing.Languages.FromPath(example) ?? "";
        var sb = new StringBuilder();
        sb.Append("\nDo not return these existing files whole; change them with SEARCH/REPLACE blocks: ")
            .AppendJoin(", ", files.Select(f => "`" + f + "`")).Append(".\n")
            .Append("Put the file's path alone on the line before the opening fence; inside the fence write `<<<<<<< SEARCH`, the current lines ")
            .Append("to change copied exactly (indentation and comments included), `=======`, the new lines, and `>>>>>>> REPLACE`:\n\n")
            .Append(example).Append("\n```").Append(language).Append('\n')
            .Append("<<<<<<< SEARCH\n    (the current lines, exactly as in the file)\n=======\n    (the new lines)\n>>>>>>> REPLACE\n```\n\n")
            .Append("Each SEARCH must match exactly one place of the file as shown above: include enough lines to be unique, never let two ")
            .Append("blocks overlap (merge them), and keep blocks small. Several blocks may follow each other in one fence. ")
            .Append("Every other file (new or small) is returned whole as described above, never with parts left out.\n");
        return sb.ToString();
    }

    private static int LineCount(string text)
    {
        var lines = 0;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                lines++;
            }
        }
        return text.Length > 0 && text[^1] != '\n' ? lines + 1 : lines;
    }
}
