using System.Text;

namespace SpecSynth.Validation;

/// <summary>Splits a checker command into words (quotes group, backslash escapes in double quotes) and finds executables.</summary>
internal static class CommandLine
{
    /// <summary>Splits <paramref name="command"/> like a POSIX shell would, without expansions.</summary>
    public static List<string> Split(string command)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        char quote = '\0';
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            if (quote == '\'')
            {
                if (c == '\'') { quote = '\0'; } else { current.Append(c); }
            }
            else if (quote == '"')
            {
                if (c == '"') { quote = '\0'; }
                else if (c == '\\' && i + 1 < command.Length && command[i + 1] is '"' or '\\') { current.Append(command[++i]); }
                else { current.Append(c); }
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) { words.Add(current.ToString()); current.Clear(); inWord = false; }
            }
            else
            {
                inWord = true;
                if (c is '\'' or '"') { quote = c; } else { current.Append(c); }
            }
        }
        if (inWord)
        {
            words.Add(current.ToString());
        }
        return words;
    }

    /// <summary>The full path of <paramref name="executable"/>: itself when it names a file, else the first match on <c>PATH</c>.</summary>
    public static string? Find(string executable)
    {
        if (executable.Contains('/') || executable.Contains(Path.DirectorySeparatorChar))
        {
            return File.Exists(executable) ? Path.GetFullPath(executable) : null;
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var extensions = OperatingSystem.IsWindows() ? new[] { "", ".exe", ".cmd", ".bat" } : [""];
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var ext in extensions)
            {
                var candidate = Path.Combine(dir, executable + ext);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return null;
    }
}
