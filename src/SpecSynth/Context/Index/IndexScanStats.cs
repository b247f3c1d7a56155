namespace SpecSynth.Context.Index;

/// <summary>What one ranking took from the index (for benchmarks and tests).</summary>
/// <param name="Loaded">An index was found and valid.</param>
/// <param name="Reused">Files answered from their record.</param>
/// <param name="Scanned">Files read and recorded (new or changed).</param>
/// <param name="Rescanned">Files with a record that were read again because the record could not tell.</param>
/// <param name="Written">Entries written to a new index (0: the index was left as it was).</param>
/// <param name="LoadMs">Reading and checking the index.</param>
/// <param name="SignatureMs">Taking every candidate's signature.</param>
/// <param name="ContentMs">Answering from records and scanning the other files.</param>
/// <param name="SaveMs">Writing the new index (0 when unchanged).</param>
internal sealed record IndexScanStats(bool Loaded, int Reused, int Scanned, int Rescanned, int Written,
    double LoadMs = 0, double SignatureMs = 0, double ContentMs = 0, double SaveMs = 0);
