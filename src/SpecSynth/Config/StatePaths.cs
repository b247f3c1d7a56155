namespace SpecSynth.Config;

/// <summary>Where specsynth keeps its state: <c>SPECSYNTH_HOME</c> when set, else the XDG folders.</summary>
internal static class StatePaths
{
    /// <summary>The state folder (journal, ledger, history): <c>$SPECSYNTH_HOME</c>, else
    /// <c>$XDG_STATE_HOME/specsynth</c>, else <c>~/.local/state/specsynth</c>.</summary>
    public static string StateDir(Func<string, string?> getEnv) =>
        Home(getEnv) ?? Path.Combine(Xdg(getEnv, "XDG_STATE_HOME", ".local/state"), "specsynth");

    /// <summary>The cache folder: <c>$SPECSYNTH_HOME/cache</c>, else <c>$XDG_CACHE_HOME/specsynth</c>.</summary>
    public static string CacheDir(Func<string, string?> getEnv) =>
        Home(getEnv) is { } home ? Path.Combine(home, "cache") : Path.Combine(Xdg(getEnv, "XDG_CACHE_HOME", ".cache"), "specsynth");

    /// <summary>The user configuration file: <c>$XDG_CONFIG_HOME/specsynth/config.toml</c>
    /// (<c>~/.config/specsynth/config.toml</c>); <c>$SPECSYNTH_HOME/config.toml</c> when SPECSYNTH_HOME is set.</summary>
    public static string UserConfigFile(Func<string, string?> getEnv) =>
        Home(getEnv) is { } home
            ? Path.Combine(home, "config.toml")
            : Path.Combine(Xdg(getEnv, "XDG_CONFIG_HOME", ".config"), "specsynth", "config.toml");

    private static string? Home(Func<string, string?> getEnv) =>
        getEnv("SPECSYNTH_HOME") is { Length: > 0 } home ? Path.GetFullPath(home) : null;

    private static string Xdg(Func<string, string?> getEnv, string variable, string fallback)
    {
        if (getEnv(variable) is { Length: > 0 } dir && Path.IsPathRooted(dir))
        {
            return dir;
        }
        var userHome = getEnv("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(userHome, fallback);
    }
}
