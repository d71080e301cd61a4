"""Co-product allocation.

The share of a multi-output process's burdens that its reference product carries.

Allocation by a physical or economic property shares the inputs and emissions of a process
in proportion to the property of each product (mass, economic value or energy content);
system expansion keeps them whole and credits each co-product with what it replaces.

References
----------
ISO 14044:2006, 4.3.4.2 (allocation procedure: avoid by subdivision or system expansion,
then physical relationships, then other relationships such as economic value).
"""

__all__ = ["ALLOCATION_METHODS", "allocation_share"]

ALLOCATION_METHODS = ("mass", "economic", "energy", "system_expansion")


def allocation_share(reference, co_products):
    """Share of the burdens carried by the reference product.

    Parameters
    ----------
    reference : float
        Property (mass, value or energy) of the reference product's stated amount, in the
        same unit as ``co_products``.
    co_products : sequence of float
        The same property of each co-product's stated amount.

    Returns
    -------
    float
        ``reference / (reference + sum(co_products))`` [0-1].
    """
    values = [reference, *co_products]
    if any(v < 0 for v in values):
        raise ValueError("allocation properties must not be negative")
    total = sum(values)
    if total <= 0:
        raise ValueError("the allocation properties sum to zero")
    return reference / total
