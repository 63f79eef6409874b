namespace StructuralChunking.Search;

/// <summary>How the dense lists of a long query's windows are combined (see <see cref="SearchOptions.LongQueryFusion"/>).</summary>
public enum LongQueryFusion
{
    /// <summary>Each chunk keeps its best cosine over the windows.</summary>
    Max,

    /// <summary>One search with the mean of the windows' normalised vectors.</summary>
    Mean,

    /// <summary>Reciprocal rank fusion of the windows' lists.</summary>
    Rrf,

    /// <summary>Only the first window is embedded: the query as the model's window cuts it.</summary>
    First,
}

/// <summary>When a query is analysed as an issue report (see <see cref="SearchOptions.QueryAnalysis"/>).</summary>
public enum QueryAnalysisMode
{
    /// <summary>For long or structured queries only (a stack trace, fenced or inline code, or <see cref="QueryAnalyzer.LongQueryWords"/> words or more).</summary>
    Auto,

    /// <summary>Never: every query ranks as a short question.</summary>
    Off,

    /// <summary>Every query.</summary>
    Always,
}
