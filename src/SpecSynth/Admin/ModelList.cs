namespace SpecSynth;

/// <summary>What <c>specsynth models</c> prints.</summary>
/// <param name="Models">The models, by provider then id.</param>
/// <param name="PricesChecked">When the built-in prices and limits were last checked against the providers' pages (<c>YYYY-MM</c>).</param>
/// <param name="Warnings">Providers that could not be asked (their catalog models are listed instead), naming why.</param>
public sealed record ModelList(IReadOnlyList<ListedModel> Models, string PricesChecked, IReadOnlyList<string> Warnings);
