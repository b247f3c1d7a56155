namespace SpecSynth.Output;

/// <summary>The <c>manifest.json</c> of one journal run (serialised with <see cref="JournalJsonContext"/>).</summary>
internal sealed class JournalManifest
{
    public int Version { get; set; } = 1;

    public string RunId { get; set; } = "";

    /// <summary>Orders runs created in the same instant.</summary>
    public long Sequence { get; set; }

    public DateTimeOffset CreatedUtc { get; set; }

    public string OutputRoot { get; set; } = "";

    /// <summary><c>pending</c>, <c>committed</c> or <c>undone</c>. Written first (a fixed offset near the start of the file, in its
    /// first disk sector), so a pending run is marked committed by overwriting the value in place: the journal writes a
    /// pending manifest's value padded to the length of <c>"committed"</c> (<see cref="WriteJournal"/>).</summary>
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Status { get; set; } = "pending";

    public DateTimeOffset? UndoneUtc { get; set; }

    /// <summary>The process that wrote the run: while it is alive, a pending run may still be writing (its temporary files
    /// are its own); once it is gone, they are strays of a killed writer. <c>null</c> in manifests from before it was kept.</summary>
    public int? WriterPid { get; set; }

    public List<JournalManifestFile> Files { get; set; } = [];

    /// <summary>Folders the run creates, relative to the output folder, shallowest first.</summary>
    public List<string> CreatedDirectories { get; set; } = [];
}
