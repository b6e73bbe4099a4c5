"""The data a new sandbox company starts with, shaped like Intuit's sandbox companies of each country."""

from __future__ import annotations

from typing import Any

from sandbox.qbo.company import Company, Entity, currency_ref

ISO3 = {"US": "USA", "GB": "GBR", "CA": "CAN", "AU": "AUS"}

TERMS = [("1", "Due on receipt", 0), ("2", "Net 15", 15), ("3", "Net 30", 30), ("4", "Net 60", 60), ("5", "Net 10", 10)]

# (rate id, name, percent); codes list (code id, name, rate ids, taxable)
TAX_TABLES: dict[str, tuple[list[tuple[str, str, float]], list[tuple[str, str, list[str], bool]]]] = {
    "US": ([("1", "California", 8.0), ("2", "San Francisco", 0.5)],
           [("TAX", "TAX", [], True), ("NON", "NON", [], False), ("2", "California", ["1"], True),
            ("3", "San Francisco", ["1", "2"], True)]),
    "GB": ([("1", "20.0% S", 20.0), ("2", "5.0% R", 5.0), ("3", "0.0% Z", 0.0), ("4", "Exempt", 0.0)],
           [("1", "20.0% S", ["1"], True), ("2", "5.0% R", ["2"], True), ("3", "0.0% Z", ["3"], True),
            ("4", "Exempt", ["4"], True), ("5", "No VAT", [], False)]),
    "CA": ([("1", "HST ON", 13.0), ("2", "GST", 5.0), ("3", "PST BC", 7.0), ("4", "Zero-rated", 0.0),
            ("5", "Exempt", 0.0)],
           [("1", "HST ON", ["1"], True), ("2", "GST", ["2"], True), ("3", "GST/PST BC", ["2", "3"], True),
            ("4", "Zero-rated", ["4"], True), ("5", "Exempt", ["5"], True), ("6", "Out of Scope", [], False)]),
    "AU": ([("1", "GST (sales)", 10.0), ("2", "GST free (sales)", 0.0), ("3", "Input taxed (sales)", 0.0),
            ("4", "Export (sales)", 0.0)],
           [("1", "GST", ["1"], True), ("2", "GST free", ["2"], True), ("3", "Input taxed", ["3"], True),
            ("4", "Export", ["4"], True), ("5", "Out Of Scope", [], False)]),
}

# (id, name, AccountType, AccountSubType): the accounts entities refer to (entities/base.py ACCOUNT_NAMES) plus a bank
# account for deposits and bill payments, an A/P account for bills and an expense account for bill lines.
ACCOUNTS = [("1", "Services", "Income", "ServiceFeeIncome"), ("4", "Undeposited Funds", "Other Current Asset",
                                                                "UndepositedFunds"),
            ("33", "Accounts Payable (A/P)", "Accounts Payable", "AccountsPayable"),
            ("35", "Checking", "Bank", "Checking"), ("60", "Office Expenses", "Expense",
                                                     "OfficeGeneralAdministrativeExpenses"),
            ("79", "Sales of Product Income", "Income", "SalesOfProductIncome"),
            ("80", "Cost of Goods Sold", "Cost of Goods Sold", "SuppliesMaterialsCogs"),
            ("81", "Inventory Asset", "Other Current Asset", "Inventory"),
            ("84", "Accounts Receivable (A/R)", "Accounts Receivable", "AccountsReceivable"),
            ("86", "Discounts given", "Income", "DiscountsRefundsGiven")]
CLASSIFICATION = {"Income": "Revenue", "Other Current Asset": "Asset", "Accounts Payable": "Liability",
                  "Bank": "Asset", "Expense": "Expense", "Cost of Goods Sold": "Expense",
                  "Accounts Receivable": "Asset"}
VENDORS = [("1", "Books by Bessie", "Bessie", "Williams", "Books@Intuit.com"),
           ("2", "Norton Lumber and Building Materials", "Peter", "Norton", "Materials@Intuit.com")]

DEFAULT_RATES = {"USD": 1.0, "EUR": 1.08, "GBP": 1.27, "CAD": 0.73, "AUD": 0.66, "NZD": 0.60, "JPY": 0.0067}


def _put(company: Company, kind: str, entity: Entity, now: float) -> None:
    entity.update({"domain": "QBO", "sparse": False, "SyncToken": "0"})
    company.stamp(entity, now, created=True)
    company.put(kind, entity, now)
    if entity["Id"].isdigit():
        company.counters[kind] = max(company.counters[kind], int(entity["Id"]))


def _address(country: str, line1: str, city: str, region: str, postal: str, addr_id: str) -> dict[str, Any]:
    return {"Id": addr_id, "Line1": line1, "City": city, "CountrySubDivisionCode": region,
            "PostalCode": postal, "Country": ISO3.get(country, country)}


COMPANY_ADDRESSES = {
    "US": ("2500 Garcia Ave", "Mountain View", "CA", "94043"),
    "GB": ("1 Canada Square", "London", "LND", "E14 5AB"),
    "CA": ("100 King St W", "Toronto", "ON", "M5X 1A9"),
    "AU": ("1 Market St", "Sydney", "NSW", "2000"),
}


def seed_company(company: Company, *, country: str, home_currency: str, multicurrency: bool,
                 custom_txn_numbers: bool, now: float) -> None:
    line1, city, region, postal = COMPANY_ADDRESSES.get(country, COMPANY_ADDRESSES["US"])
    address = _address(country, line1, city, region, postal, "1")
    _put(company, "CompanyInfo", {
        "Id": company.realm_id, "CompanyName": company.name, "LegalName": company.name,
        "CompanyAddr": address, "CustomerCommunicationAddr": dict(address), "LegalAddr": dict(address),
        "PrimaryPhone": {"FreeFormNumber": "(650) 555-0100"}, "CompanyStartDate": "2024-01-01",
        "FiscalYearStartMonth": "January", "Country": country, "Email": {"Address": "noreply@quickbooks.com"},
        "WebAddr": {}, "SupportedLanguages": "en",
        "NameValue": [{"Name": "NeoEnabled", "Value": "true"}, {"Name": "IndustryType", "Value": "Services"},
                      {"Name": "SubscriptionStatus", "Value": "SUBSCRIBED"},
                      {"Name": "OfferingSku", "Value": "QuickBooks Online Plus"},
                      {"Name": "PayrollFeature", "Value": "false"},
                      {"Name": "AccountantFeature", "Value": "false"},
                      {"Name": "ItemCategoriesFeature", "Value": "true"},
                      {"Name": "IsQbdtMigrated", "Value": "false"}],
    }, now)
    company_email_subject = f"Invoice [Invoice No.] from {company.name}"
    _put(company, "Preferences", {
        "Id": "1",
        "AccountingInfoPrefs": {"TrackDepartments": False, "DepartmentTerminology": "Location",
                                "ClassTrackingPerTxn": False, "ClassTrackingPerTxnLine": False,
                                "CustomerTerminology": "Customers"},
        "ProductAndServicesPrefs": {"ForSales": True, "ForPurchase": True, "QuantityWithPriceAndRate": True,
                                    "QuantityOnHand": True},
        "SalesFormsPrefs": {"CustomTxnNumbers": custom_txn_numbers, "AllowDeposit": True, "AllowDiscount": True,
                            "AllowEstimates": True, "AllowServiceDate": False, "AllowShipping": False,
                            "DefaultTerms": {"value": "3"}, "IPNSupportEnabled": False,
                            "ETransactionEnabledStatus": "NotApplicable", "UsingPriceLevels": False,
                            "UsingProgressInvoicing": False, "DefaultCustomerMessage": "Thank you for your business."},
        "EmailMessagesPrefs": {
            "InvoiceMessage": {"Subject": company_email_subject,
                               "Message": "Dear [Full Name],\n\nWe appreciate your business.\n\nHave a great day!"},
            "EstimateMessage": {"Subject": f"Estimate [Estimate No.] from {company.name}",
                                "Message": "Please review the estimate below."},
        },
        "VendorAndPurchasesPrefs": {"TrackingByCustomer": True, "BillableExpenseTracking": True},
        "TimeTrackingPrefs": {"UseServices": True, "BillCustomers": True, "ShowBillRateToAll": False,
                              "WorkWeekStartDate": "Monday", "MarkTimeEntriesBillable": True},
        "TaxPrefs": {"UsingSalesTax": True, "PartnerTaxEnabled": False},
        "CurrencyPrefs": {"MultiCurrencyEnabled": multicurrency, "HomeCurrency": {"value": home_currency}},
        "ReportPrefs": {"ReportBasis": "Accrual", "CalcAgingReportFromTxnDate": False},
    }, now)
    for term_id, name, days in TERMS:
        _put(company, "Term", {"Id": term_id, "Name": name, "Active": True, "Type": "STANDARD", "DueDays": days,
                               "DiscountPercent": 0, "DiscountDays": 0}, now)
    rates, codes = TAX_TABLES.get(country, TAX_TABLES["US"] if country == "US" else TAX_TABLES["GB"])
    rate_names = {rate_id: name for rate_id, name, _ in rates}
    for rate_id, name, percent in rates:
        _put(company, "TaxRate", {"Id": rate_id, "Name": name, "Description": name, "Active": True,
                                  "RateValue": percent, "AgencyRef": {"value": "1"}, "SpecialTaxType": "NONE",
                                  "DisplayType": "ReadOnly"}, now)
    for code_id, name, rate_ids, taxable in codes:
        details = [{"TaxRateRef": {"value": rid, "name": rate_names[rid]}, "TaxTypeApplicable": "TaxOnAmount",
                    "TaxOrder": 0} for rid in rate_ids]
        _put(company, "TaxCode", {"Id": code_id, "Name": name, "Description": name, "Active": True,
                                  "Hidden": False, "Taxable": taxable, "TaxGroup": len(rate_ids) > 1,
                                  "SalesTaxRateList": {"TaxRateDetail": details},
                                  "PurchaseTaxRateList": {"TaxRateDetail": []}}, now)
    default_code = None if country == "US" else codes[0][0]
    items = [("1", "Services", "Service", 0.0, ("1", "Services")),
             ("2", "Hours", "Service", 50.0, ("1", "Services")),
             ("3", "Consulting", "Service", 150.0, ("1", "Services")),
             ("4", "Widget", "NonInventory", 25.0, ("79", "Sales of Product Income"))]
    for item_id, name, item_type, price, (acct_id, acct_name) in items:
        item: Entity = {"Id": item_id, "Name": name, "FullyQualifiedName": name, "Active": True, "Type": item_type,
                        "UnitPrice": price, "Taxable": item_type == "NonInventory", "TrackQtyOnHand": False,
                        "Description": name, "IncomeAccountRef": {"value": acct_id, "name": acct_name}}
        if default_code:
            item["SalesTaxCodeRef"] = {"value": default_code}
        _put(company, "Item", item, now)
    customers = [("1", "Amy's Bird Sanctuary", "Amy", "Lauterbach", "Birds@Intuit.com"),
                 ("2", "Bill's Windsurf Shop", "Bill", "Lucchini", "Surf@Intuit.com")]
    for cust_id, display, given, family, email in customers:
        _put(company, "Customer", {
            "Id": cust_id, "DisplayName": display, "FullyQualifiedName": display, "PrintOnCheckName": display,
            "CompanyName": display, "GivenName": given, "FamilyName": family, "Active": True, "Taxable": True,
            "Job": False, "BillWithParent": False, "Balance": 0, "BalanceWithJobs": 0,
            "CurrencyRef": currency_ref(home_currency), "PreferredDeliveryMethod": "Print",
            "PrimaryEmailAddr": {"Address": email},
            "BillAddr": _address(country, line1, city, region, postal, str(10 + int(cust_id))),
        }, now)
    for acct_id, name, account_type, sub_type in ACCOUNTS:
        _put(company, "Account", {"Id": acct_id, "Name": name, "FullyQualifiedName": name, "Active": True,
                                  "SubAccount": False, "Classification": CLASSIFICATION[account_type],
                                  "AccountType": account_type, "AccountSubType": sub_type, "CurrentBalance": 0,
                                  "CurrentBalanceWithSubAccounts": 0, "CurrencyRef": currency_ref(home_currency)}, now)
    for vendor_id, display, given, family, email in VENDORS:
        _put(company, "Vendor", {"Id": vendor_id, "DisplayName": display, "PrintOnCheckName": display,
                                 "CompanyName": display, "GivenName": given, "FamilyName": family, "Active": True,
                                 "Balance": 0, "CurrencyRef": currency_ref(home_currency),
                                 "PrimaryEmailAddr": {"Address": email}}, now)
    company.exchange_rates.update({code: round(rate / DEFAULT_RATES.get(home_currency, 1.0), 6)
                                   for code, rate in DEFAULT_RATES.items() if code != home_currency})
