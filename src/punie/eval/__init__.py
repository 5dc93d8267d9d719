"""punie.eval"""
