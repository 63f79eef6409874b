namespace StructuralChunking.Search;

/// <summary>Whether a search returns test code (chunks whose symbol or file is recognised as test code).</summary>
public enum TestCodeInclusion
{
    /// <summary>Test code is returned, ranked below production code by <see cref="SearchOptions.TestCodeWeight"/>.</summary>
    Include = 0,
    /// <summary>Test code is left out.</summary>
    Exclude,
    /// <summary>Only test code is returned.</summary>
    Only,
}
