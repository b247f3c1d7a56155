namespace SpecSynth;

/// <summary>One spec of a run of several, handed to <see cref="GenerateAllRequest.OnSpecDone"/> as soon as it finished.</summary>
/// <param name="Index">Its index in <see cref="GenerateAllRequest.Specs"/>.</param>
/// <param name="Result">Its result, or <c>null</c> where it failed.</param>
/// <param name="Failure">Its failure, or <c>null</c> where it succeeded.</param>
public sealed record GenerateSpecDone(int Index, GenerateResult? Result, GenerateFailure? Failure);
