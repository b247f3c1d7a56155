namespace SpecSynth.Output;

/// <summary>
/// Confines untrusted, model-supplied relative paths to an output folder. A path is refused when it is
/// empty, absolute (Unix, Windows drive, drive-relative, UNC), climbs out with <c>..</c> (also written with
/// backslashes or percent-encoded), contains NUL, control or Windows-reserved characters, names
/// <c>.git</c> or specsynth's own state (<c>.specsynth</c>, <c>.specsynth-tmp-*</c>), uses a Windows device
/// name (<c>CON</c>, <c>aux.txt</c>, <c>LPT1</c>...), has a segment ending in a dot or space, starts with
/// <c>~</c>, is too long (segment over 255 bytes, path over 4096), or passes through an existing symbolic
/// link (or is one) that resolves outside the output folder.
/// </summary>
/// <remarks>
/// Percent escapes are not decoded for writing: a path containing an encoded dot, slash, backslash or
/// control character (at any depth of re-encoding) is refused outright, and any other escape is kept
/// literally. Thread-safe; reads the file system only to resolve links.
/// </remarks>
internal static class PathGuard
{
    /// <summary>Checks <paramref name="relativePath"/> against <paramref name="outputRoot"/>.</summary>
    /// <param name="outputRoot">The output folder; need not exist yet.</param>
    /// <param name="relativePath">The untrusted path, with <c>/</c> or <c>\</c> separators.</param>
    /// <returns>The normalised relative path, with <c>/</c> separators and no <c>.</c> or empty segments.</returns>
    /// <exception cref="SpecSynthException">
    /// The path is unsafe (<see cref="ErrorKind.UnusableOutput"/>); the message names the path and the reason.
    /// Or the output folder's own path is a link loop (<see cref="ErrorKind.InvalidInput"/>).
    /// </exception>
    public static string Confine(string outputRoot, string relativePath)
    {
        var root = FullRoot(outputRoot);
        return ConfineCore(root, RealRoot(root), relativePath).Relative;
    }

    /// <summary>The output folder with links resolved.</summary>
    /// <exception cref="SpecSynthException">The folder's own path has a link loop (<see cref="ErrorKind.InvalidInput"/>).</exception>
    internal static string RealRoot(string fullRoot)
    {
        try
        {
            return RealPath.Resolve(fullRoot);
        }
        catch (IOException ex)
        {
            throw new SpecSynthException(ErrorKind.InvalidInput, $"The output folder '{fullRoot}' cannot be resolved: {ex.Message}", ex);
        }
    }

    /// <summary>The absolute form of <paramref name="outputRoot"/>, without a trailing separator.</summary>
    internal static string FullRoot(string outputRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputRoot);
        var full = Path.GetFullPath(outputRoot);
        return Path.GetPathRoot(full) == full ? full : Path.TrimEndingDirectorySeparator(full);
    }

    /// <summary>
    /// Checks one path and returns it normalised together with the real (link-free) absolute path that
    /// writing it would touch.
    /// </summary>
    internal static (string Relative, string RealFullPath) ConfineCore(string fullRoot, string realRoot, string relativePath)
    {
        var relative = PathRules.Normalize(relativePath);
        var segments = relative.Split('/');
        var prefix = fullRoot;
        var real = realRoot;
        // Each prefix's real path is the one before it plus one segment: resolved once each, not from the file system
        // root again for every prefix (the output folder's own path was read once per segment of every file).
        RealPath.Resolution? resolution = null;
        foreach (var segment in segments)
        {
            prefix = Path.Combine(prefix, segment);
            real = ResolveInside(relativePath, prefix, realRoot, ref resolution, fullRoot, segment);
        }
        if (real.Equals(Path.TrimEndingDirectorySeparator(realRoot), RealPath.Comparison))
        {
            throw PathRules.Refuse(relativePath, "it resolves, through a symbolic link, to the output folder itself");
        }
        if (System.Text.Encoding.UTF8.GetByteCount(real) > PathRules.MaxPathBytes)
        {
            throw PathRules.Refuse(relativePath, $"inside the output folder it is longer than {PathRules.MaxPathBytes} bytes");
        }
        return (relative, real);
    }

    private static string ResolveInside(string original, string prefix, string realRoot, ref RealPath.Resolution? resolution, string fullRoot,
        string segment)
    {
        string real;
        try
        {
            if (resolution is null)
            {
                var root = Path.GetPathRoot(fullRoot) ?? throw new ArgumentException("Not an absolute path.", nameof(fullRoot));
                resolution = new RealPath.Resolution(root);
                resolution.Append(fullRoot[root.Length..]);
            }
            resolution.Append(segment);
            real = resolution.Current;
        }
        catch (IOException ex)
        {
            throw PathRules.Refuse(original, "it passes through a symbolic link loop (" + ex.Message + ")");
        }
        catch (UnauthorizedAccessException ex)
        {
            throw PathRules.Refuse(original, "a folder on its way cannot be inspected (" + ex.Message + ")");
        }
        if (!RealPath.IsInside(real, realRoot))
        {
            throw PathRules.Refuse(original, $"'{prefix}' is a symbolic link (or passes through one) that resolves to '{real}', outside the output folder");
        }
        return real;
    }
}
