namespace SpecSynth.Output;

/// <summary>One file entry of a <see cref="JournalManifest"/>.</summary>
internal sealed class JournalManifestFile
{
    /// <summary>Relative to the run's output folder, <c>/</c> separators.</summary>
    public string Path { get; set; } = "";

    /// <summary><c>created</c> or <c>modified</c>.</summary>
    public string Action { get; set; } = "";

    /// <summary>SHA-256 (lower-case hex) of the bytes the run writes.</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>SHA-256 of the bytes before the run, for modified files.</summary>
    public string? PreviousSha256 { get; set; }

    /// <summary>The backup file name inside the run folder, for modified files.</summary>
    public string? Backup { get; set; }
}
