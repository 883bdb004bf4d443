"""The product's rules and vocabulary (PRODUCT.md), with no Qt and no I/O."""
