"""punie.chat"""
