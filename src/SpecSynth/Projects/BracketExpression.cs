using System.Text;

namespace SpecSynth.Projects;

/// <summary>Translates a glob bracket expression (<c>[abc]</c>, <c>[a-z]</c>, <c>[!x]</c>, <c>[^x]</c>) to a regex class.</summary>
internal static class BracketExpression
{
    /// <summary>Appends the class for the expression starting at <paramref name="start"/> (a <c>[</c>) and returns
    /// the index after its closing <c>]</c>, or returns <c>null</c> when the bracket is never closed.</summary>
    public static int? TryAppend(string p, int start, StringBuilder sb)
    {
        var i = start + 1;
        var negated = i < p.Length && (p[i] == '!' || p[i] == '^');
        if (negated)
        {
            i++;
        }
        var items = new StringBuilder();
        var first = true;
        while (i < p.Length && (p[i] != ']' || first))
        {
            first = false;
            var c = p[i] == '\\' && i + 1 < p.Length ? p[++i] : p[i];
            i++;
            items.Append(Escape(c));
            if (i + 1 < p.Length && p[i] == '-' && p[i + 1] != ']')
            {
                var hi = p[i + 1] == '\\' && i + 2 < p.Length ? p[i + 2] : p[i + 1];
                i += p[i + 1] == '\\' ? 3 : 2;
                items.Append('-').Append(Escape(hi));
            }
        }
        if (i >= p.Length)
        {
            return null;
        }
        sb.Append(negated ? "[^/" : "[").Append(items).Append(']');
        return i + 1;
    }

    private static string Escape(char c) => c is '\\' or ']' or '[' or '^' or '-' ? "\\" + c : c.ToString();
}
