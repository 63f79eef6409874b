namespace Ledger;

/// <summary>An invoice sent to a customer.</summary>
public sealed record Invoice(string Number, decimal Amount, DateOnly DueDate, DateOnly? PaidOn);
