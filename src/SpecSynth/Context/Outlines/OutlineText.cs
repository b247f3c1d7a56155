using System.Text;

namespace SpecSynth.Context.Outlines;

/// <summary>Final clean-up shared by the outline builders.</summary>
internal static class OutlineText
{
    /// <summary>Trims trailing white space of each line and collapses runs of blank lines into one.</summary>
    public static string Tidy(string text)
    {
        var sb = new StringBuilder(text.Length);
        var blank = true; // no blank line at the start
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.Length == 0)
            {
                if (!blank)
                {
                    sb.Append('\n');
                }
                blank = true;
                continue;
            }
            sb.Append(line).Append('\n');
            blank = false;
        }
        return sb.ToString().TrimEnd();
    }
}
