namespace SpecSynth.Cli;

/// <summary>
/// Where the command's name is in the arguments, before System.CommandLine has parsed them (the process entry's choices that
/// must be made before the thread pool starts): after the root's global options, which may come first
/// (<c>specsynth --verbose generate …</c>, <c>specsynth --log-level debug generate …</c>).
/// </summary>
internal static class CommandPosition
{
    /// <summary>The index of the first argument that is not a global option or its value (<c>args.Length</c> when none).</summary>
    public static int Of(string[] args)
    {
        var i = 0;
        while (i < args.Length)
        {
            var arg = args[i];
            if (arg is CliApp.NoColorFlag or CliApp.VerboseFlag)
            {
                // A bool option takes an optional true/false.
                i += i + 1 < args.Length && bool.TryParse(args[i + 1], out _) ? 2 : 1;
            }
            else if (arg == CliApp.LogLevelFlag)
            {
                i += 2;
            }
            else if (IsWithValue(arg, CliApp.NoColorFlag) || IsWithValue(arg, CliApp.VerboseFlag) || IsWithValue(arg, CliApp.LogLevelFlag))
            {
                i++;
            }
            else
            {
                break;
            }
        }
        return Math.Min(i, args.Length);
    }

    /// <summary>Whether <paramref name="args"/> name <paramref name="command"/> (after any global options).</summary>
    public static bool Names(string[] args, string command)
    {
        var at = Of(args);
        return at < args.Length && args[at] == command;
    }

    private static bool IsWithValue(string arg, string flag) =>
        arg.Length > flag.Length && arg.StartsWith(flag, StringComparison.Ordinal) && arg[flag.Length] is '=' or ':';
}
