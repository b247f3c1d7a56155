namespace SpecSynth.Config;

/// <summary>Finds the line of a key in TOML text, for error messages (best effort; 0 when not found).</summary>
internal static class TomlKeyLocator
{
    public static int FindLine(string text, string? table, string key)
    {
        var lines = text.Split('\n');
        string? current = null;
        var lastKey = key.Split('.')[^1];
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith('['))
            {
                current = line.Trim('[', ']', ' ', '\r');
                if (table is null && current == key)
                {
                    return i + 1;
                }
                continue;
            }
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }
            var name = line[..eq].Trim().Trim('"');
            var full = current is null ? name : current + "." + name;
            var wanted = table is null ? key : table + "." + key;
            if (full == wanted || (current == table && name == lastKey))
            {
                return i + 1;
            }
        }
        return 0;
    }
}
