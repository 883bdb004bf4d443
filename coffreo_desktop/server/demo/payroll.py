"""The figures of a temp worker's payslip (2024 French rates): gross pay, contributions, net, tax.

Pure arithmetic, no drawing: ``pdf_payslip`` prints what ``compute_payslip`` returns.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from coffreo_desktop.server.demo.pdf_layout import CENT, round_cents

#: 2024 rates in percent: (group, label, base kind, employee rate, employer rate); the employer's
#: work-accident rate is drawn from the seed, as it varies by client activity.
_CONTRIBUTIONS = (
    ("Santé", "Sécurité sociale - maladie, maternité, invalidité, décès", "gross", "0", "7.000"),
    ("Santé", "Complémentaire santé", "gross", "0.850", "0.850"),
    ("Accidents du travail", "Accidents du travail - maladies professionnelles", "gross", "0", "AT"),
    ("Retraite", "Sécurité sociale plafonnée", "capped", "6.900", "8.550"),
    ("Retraite", "Sécurité sociale déplafonnée", "gross", "0.400", "2.020"),
    ("Retraite", "Complémentaire tranche 1", "capped", "3.150", "4.720"),
    ("Retraite", "Contribution d'équilibre général tranche 1", "capped", "0.860", "1.290"),
    ("Famille", "Allocations familiales", "gross", "0", "3.450"),
    ("Assurance chômage", "Chômage", "gross", "0", "4.050"),
    ("Assurance chômage", "AGS (garantie des salaires)", "gross", "0", "0.150"),
    ("Autres", "Autres contributions dues par l'employeur", "gross", "0", "1.230"),
    ("CSG / CRDS", "CSG déductible de l'impôt sur le revenu", "csg", "6.800", "0"),
    ("CSG / CRDS", "CSG/CRDS non déductible de l'impôt sur le revenu", "csg", "2.900", "0"),
)
_MONTHLY_CEILING = Decimal("3864.00")  # plafond mensuel de la sécurité sociale 2024
_LEGAL_MONTHLY_HOURS = Decimal("151.67")
_CSG_BASE = Decimal("0.9825")
_TEN_PERCENT = Decimal("0.10")


@dataclass(frozen=True)
class PayLine:
    group: str
    label: str
    base: Decimal
    employee_rate: Decimal
    employee_amount: Decimal
    employer_rate: Decimal
    employer_amount: Decimal


@dataclass(frozen=True)
class Payslip:
    """Every figure of a temp worker's payslip; net_before_tax = gross - employee_total."""

    hours: Decimal
    hourly_rate: Decimal
    base_salary: Decimal
    end_of_mission: Decimal  # indemnité de fin de mission, 10 %
    paid_leave: Decimal  # indemnité compensatrice de congés payés, 10 %
    gross: Decimal
    lines: tuple[PayLine, ...]
    employee_total: Decimal
    employer_total: Decimal
    net_before_tax: Decimal
    net_social: Decimal
    taxable: Decimal
    tax_rate: Decimal
    tax: Decimal
    net_paid: Decimal


def compute_payslip(hours: float, hourly_rate: Decimal, *, seed: int) -> Payslip:
    """The figures of a payslip; the seed picks the withholding-tax and work-accident rates."""
    rng = random.Random(seed)
    work_accident = Decimal(rng.choice(("1.800", "2.600", "3.400", "4.900")))
    tax_rate = Decimal(rng.choice(("0.0", "1.3", "2.5", "4.1", "5.6", "7.5")))
    worked = Decimal(str(hours)).quantize(CENT)
    base_salary = round_cents(worked * hourly_rate)
    end_of_mission = round_cents(base_salary * _TEN_PERCENT)
    paid_leave = round_cents((base_salary + end_of_mission) * _TEN_PERCENT)
    gross = base_salary + end_of_mission + paid_leave
    ceiling = round_cents(_MONTHLY_CEILING * min(Decimal(1), worked / _LEGAL_MONTHLY_HOURS))
    bases = {"gross": gross, "capped": min(gross, ceiling), "csg": round_cents(gross * _CSG_BASE)}
    lines = []
    for group, label, kind, employee, employer in _CONTRIBUTIONS:
        base = bases[kind]
        employee_rate = Decimal(employee)
        employer_rate = work_accident if employer == "AT" else Decimal(employer)
        lines.append(
            PayLine(
                group,
                label,
                base,
                employee_rate,
                round_cents(base * employee_rate / 100),
                employer_rate,
                round_cents(base * employer_rate / 100),
            )
        )
    employee_total = sum((line.employee_amount for line in lines), Decimal(0))
    employer_total = sum((line.employer_amount for line in lines), Decimal(0))
    net_before_tax = gross - employee_total
    csg_lines = [line for line in lines if line.group == "CSG / CRDS"]
    # The employer's share of health insurance and the non-deductible CSG/CRDS are taxable income.
    taxable = net_before_tax + csg_lines[-1].employee_amount + lines[1].employer_amount
    tax = round_cents(taxable * tax_rate / 100)
    return Payslip(
        hours=worked,
        hourly_rate=hourly_rate,
        base_salary=base_salary,
        end_of_mission=end_of_mission,
        paid_leave=paid_leave,
        gross=gross,
        lines=tuple(lines),
        employee_total=employee_total,
        employer_total=employer_total,
        net_before_tax=net_before_tax,
        net_social=gross - employee_total + sum((line.employee_amount for line in csg_lines), Decimal(0)),
        taxable=taxable,
        tax_rate=tax_rate,
        tax=tax,
        net_paid=net_before_tax - tax,
    )
