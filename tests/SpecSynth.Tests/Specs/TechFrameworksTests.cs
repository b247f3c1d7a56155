using SpecSynth.Specs;

namespace SpecSynth.Tests.Specs;

public sealed class TechFrameworksTests
{
    [Fact]
    public void The_table_names_the_frameworks_TechNames_recognises_in_the_same_order() =>
        Assert.Equal(TechNames.FrameworkIds, TechFrameworks.All.Select(f => f.Id));

    [Theory]
    [InlineData("fastapi", "python")]
    [InlineData("aspnetcore", "csharp")]
    [InlineData("dotnet", "csharp")]
    [InlineData("actix", "rust")]
    [InlineData("react", null)]
    [InlineData("nextjs", null)]
    [InlineData("no-such-framework", null)]
    [InlineData(null, null)]
    public void LanguageOf_is_the_language_a_framework_implies(string? framework, string? language) =>
        Assert.Equal(language, TechFrameworks.LanguageOf(framework));

    [Theory]
    [InlineData("flask", "python", true)]
    [InlineData("flask", "csharp", false)]
    [InlineData("flask", null, true)]
    [InlineData("react", "typescript", true)]
    [InlineData("react", "javascript", true)]
    [InlineData("react", "python", false)]
    [InlineData("dotnet", "csharp", true)]
    public void Fits_takes_the_implied_language_or_the_web_languages(string framework, string? language, bool fits) =>
        Assert.Equal(fits, TechFrameworks.Fits(framework, language));

    [Theory]
    [InlineData("dotnet", true)]
    [InlineData("django", true)]
    [InlineData("tokio", true)]
    [InlineData("python", false)]
    [InlineData("csharp", false)]
    public void IsFrameworkId_knows_frameworks_from_languages(string id, bool framework) =>
        Assert.Equal(framework, TechFrameworks.IsFrameworkId(id));
}
