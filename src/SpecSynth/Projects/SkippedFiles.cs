using System.Collections.Frozen;

namespace SpecSynth.Projects;

/// <summary>Files listed in the tree but not worth reading: binaries by extension, and lock files.</summary>
internal static class SkippedFiles
{
    /// <summary>How many leading bytes are checked for a NUL byte.</summary>
    public const int BinarySniffBytes = 8192;

    private static readonly FrozenSet<string> BinaryExtensions = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".ico", ".icns", ".webp", ".tif", ".tiff", ".psd", ".avif", ".heic",
        ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".tar", ".zst", ".lz4", ".br",
        ".dll", ".exe", ".so", ".dylib", ".a", ".lib", ".o", ".obj", ".pdb", ".class", ".jar", ".war", ".ear",
        ".pyc", ".pyo", ".whl", ".egg", ".nupkg", ".snupkg", ".wasm", ".bin", ".dat", ".iso", ".img", ".dmg",
        ".woff", ".woff2", ".ttf", ".otf", ".eot", ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx",
        ".odt", ".ods", ".mp3", ".mp4", ".wav", ".ogg", ".flac", ".avi", ".mov", ".mkv", ".webm", ".sqlite",
        ".sqlite3", ".db", ".mdb", ".pack", ".idx", ".snk", ".ds_store");

    private static readonly FrozenSet<string> LockFiles = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb", "Cargo.lock", "poetry.lock", "Pipfile.lock",
        "Gemfile.lock", "composer.lock", "go.sum", "packages.lock.json", "uv.lock");

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> BinaryExtensionLookup = BinaryExtensions.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> LockFileLookup = LockFiles.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Whether the name alone says the file is binary or generated noise (runs for every file of a walk: no
    /// string is made).</summary>
    public static bool SkipByName(string relativePath)
    {
        var name = relativePath.AsSpan(relativePath.LastIndexOf('/') + 1);
        return BinaryExtensionLookup.Contains(Path.GetExtension(name)) || LockFileLookup.Contains(name);
    }

    /// <summary>Whether the content looks binary: a NUL byte among the first <see cref="BinarySniffBytes"/>.</summary>
    public static bool LooksBinary(ReadOnlySpan<byte> content) =>
        content[..Math.Min(content.Length, BinarySniffBytes)].Contains((byte)0);
}
