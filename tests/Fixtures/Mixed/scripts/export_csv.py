import csv


def write_invoices_csv(invoices, path):
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["number", "amount", "due"])
        for invoice in invoices:
            writer.writerow([invoice["number"], invoice["amount"], invoice["due"]])
