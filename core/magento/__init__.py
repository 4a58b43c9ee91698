"""core/magento."""
