namespace SpecSynth;

/// <summary>What <see cref="ISpecSynthesizer.IndexAsync"/> did.</summary>
/// <param name="Project">The project folder indexed.</param>
/// <param name="Files">The files the walk listed (as <c>context</c> and <c>generate</c> see them).</param>
/// <param name="Indexed">The files the index answered for, from its records or read and recorded now.</param>
/// <param name="Read">Of those, the files read and recorded now (new or changed since the index was written; all of them
/// when there was none).</param>
/// <param name="Bytes">The size of the project's index on disk afterwards.</param>
/// <param name="Seconds">How long it took.</param>
/// <param name="AlreadyBuilding">Another process was building this index: nothing was done.</param>
public sealed record IndexResult(string Project, int Files, int Indexed, int Read, long Bytes, double Seconds, bool AlreadyBuilding);
